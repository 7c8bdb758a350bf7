//go:build race

package sshserve

// raceDetector says whether the tests run under the race detector.
const raceDetector = true
