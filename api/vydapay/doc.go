// Package vydapay speaks Vydapay's API: its wire format, endpoints,
// x-vydapay-signature webhook scheme and event types, mapped onto package
// api. Vydapay documents no card reveal and no activation, so its client
// reports neither capability.
package vydapay
