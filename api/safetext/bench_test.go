package safetext

import "testing"

// Typical merchant names as issuers report them, and the same kind of names
// carrying what a hostile or broken acquirer might put in them.
var (
	cleanMerchants = []string{
		"CARREFOUR CITY CENTRE DEIRA DUBAI AE",
		"AMAZON.AE*2K4LM81P2 MARKETPLACE",
		"طلبات Talabat",
		"スターバックス 東京駅",
		"UBER *TRIP HELP.UBER.COM",
	}
	dirtyMerchants = []string{
		"\x1b[31mCARREFOUR\x1b[0m CITY CENTRE\r\nDEIRA",
		"AMAZON.AE\x1b]52;c;cm0gLXJmIH4K\a MARKETPLACE",
		"طلبات\u202E Talabat\u202C",
		"\u009b2JUBER *TRIP\x00\x07",
		"NOON\xff.COM \x1b]0;pwned\x1b\\DUBAI",
	}
	panMerchants = []string{
		"REFUND 4111 1111 1111 1111 CARREFOUR",
		"ORDER 1234567890123 NOON.COM",
		"PAY 5555-5555-5555-4444 TALABAT",
		"AMAZON.AE*2K4LM81P2 REF 20240612 0001 7788",
		"CARD 4111111111111111 CVC 123",
	}
)

func benchmark(b *testing.B, f func(string) string, inputs []string) {
	n := 0
	for _, s := range inputs {
		n += len(s)
	}
	b.SetBytes(int64(n / len(inputs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f(inputs[i%len(inputs)])
	}
}

func BenchmarkClean(b *testing.B) {
	b.Run("clean", func(b *testing.B) { benchmark(b, Clean, cleanMerchants) })
	b.Run("dirty", func(b *testing.B) { benchmark(b, Clean, dirtyMerchants) })
}

func BenchmarkMaskPANs(b *testing.B) {
	b.Run("clean", func(b *testing.B) { benchmark(b, MaskPANs, cleanMerchants) })
	b.Run("digits", func(b *testing.B) { benchmark(b, MaskPANs, panMerchants) })
}

func BenchmarkSafe(b *testing.B) {
	b.Run("clean", func(b *testing.B) { benchmark(b, Safe, cleanMerchants) })
	b.Run("dirty", func(b *testing.B) { benchmark(b, Safe, dirtyMerchants) })
	b.Run("digits", func(b *testing.B) { benchmark(b, Safe, panMerchants) })
}
