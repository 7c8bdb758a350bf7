package sandbox

import (
	"fmt"
	"math/rand/v2"
)

// Word lists the book draws people and places from. They are functions so
// that no package state exists.

func firstNames() []string {
	return []string{
		"Aisha", "Omar", "Fatima", "Khalid", "Layla", "Yousef", "Mariam", "Hamdan", "Noura", "Saeed",
		"Sarah", "James", "Olivia", "Harry", "Amelia", "George", "Isla", "Jack", "Emily", "Thomas",
		"Priya", "Arjun", "Ananya", "Rahul", "Meera", "Sofia", "Lucas", "Chloé", "Louis", "Léa",
		"Lukas", "Anna", "Jonas", "Lena", "Mateo", "Lucía", "Hugo", "Carmen", "Sven", "Ingrid",
		"Wei", "Mei", "Kenji", "Yuki", "Daniel", "Grace", "Michael", "Hannah", "Chinedu", "Amara",
		"Tomasz", "Zofia", "Ahmed", "Salma", "Ravi", "Nadia", "Connor", "Siobhan", "Pedro", "Inês",
	}
}

func lastNames() []string {
	return []string{
		"Al Maktoum", "Al Nahyan", "Haddad", "Khoury", "Mansour", "Al Suwaidi", "Nasser", "Rahman", "Farouk", "Saleh",
		"Mitchell", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts",
		"Patel", "Sharma", "Iyer", "Menon", "Kapoor", "Dubois", "Martin", "Bernard", "Lefèvre", "Moreau",
		"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "García", "Fernández", "López", "Martínez", "Sánchez",
		"Andersson", "Johansson", "Chen", "Wang", "Tanaka", "Suzuki", "O'Brien", "Murphy", "Okafor", "Adeyemi",
		"Kowalski", "Nowak", "Silva", "Santos", "de Vries", "Jansen", "Rossi", "Bianchi", "Kelly", "Byrne",
	}
}

func emailDomains() []string {
	return []string{"gmail.com", "outlook.com", "icloud.com", "yahoo.com", "proton.me", "example.com", "company.com", "hey.com"}
}

func streetNames() []string {
	return []string{
		"Sheikh Zayed Road", "Al Wasl Road", "Jumeirah Beach Road", "Corniche Road", "High Street",
		"Business Street", "Station Road", "Church Lane", "Rue de Rivoli", "Avenue des Champs-Élysées",
		"Friedrichstraße", "Hauptstraße", "Calle Mayor", "Gran Vía", "Keizersgracht", "Main Street",
		"Market Street", "Baker Street", "King's Road", "Al Khaleej Road",
	}
}

// place is a country a person can live in, with its cities, phone shape
// and postcode shape.
type place struct {
	country string
	cities  []string
}

func places() []place {
	return []place{
		{"AE", []string{"Dubai", "Abu Dhabi", "Sharjah", "Al Ain"}},
		{"GB", []string{"London", "Manchester", "Birmingham", "Leeds", "Edinburgh", "Bristol"}},
		{"FR", []string{"Paris", "Lyon", "Marseille", "Toulouse"}},
		{"DE", []string{"Berlin", "Munich", "Hamburg", "Cologne"}},
		{"ES", []string{"Madrid", "Barcelona", "Valencia"}},
		{"NL", []string{"Amsterdam", "Rotterdam", "Utrecht"}},
		{"IE", []string{"Dublin", "Cork", "Galway"}},
		{"US", []string{"New York", "San Francisco", "Austin", "Chicago"}},
		{"BH", []string{"Manama", "Muharraq"}},
	}
}

// phoneFor draws an E.164 number of the country's usual shape.
func phoneFor(r *rand.Rand, country string) string {
	d := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	switch country {
	case "AE":
		return "+9715" + []string{"0", "2", "5", "6", "8"}[r.IntN(5)] + d(7)
	case "GB":
		return "+447700" + d(6)
	case "FR":
		return "+336" + d(8)
	case "DE":
		return "+4915" + d(9)
	case "ES":
		return "+346" + d(8)
	case "NL":
		return "+316" + d(8)
	case "IE":
		return "+3538" + []string{"3", "5", "6", "7"}[r.IntN(4)] + d(7)
	case "BH":
		return "+9733" + d(7)
	default:
		return "+1" + []string{"212", "415", "512", "312"}[r.IntN(4)] + "555" + d(4)
	}
}

// postcodeFor draws a postcode of the country's usual shape ("" where
// there is none).
func postcodeFor(r *rand.Rand, country string) string {
	switch country {
	case "AE", "BH":
		return ""
	case "GB":
		letters := "ABCDEFGHJKLMNPRSTUWXYZ"
		l := func() byte { return letters[r.IntN(len(letters))] }
		return fmt.Sprintf("%c%c%d %d%c%c", l(), l(), 1+r.IntN(20), r.IntN(10), l(), l())
	case "NL":
		return fmt.Sprintf("%04d %c%c", 1000+r.IntN(9000), 'A'+r.IntN(26), 'A'+r.IntN(26))
	case "IE":
		return fmt.Sprintf("D%02d X%03d", 1+r.IntN(24), r.IntN(1000))
	case "US":
		return fmt.Sprintf("%05d", 10000+r.IntN(89999))
	default:
		return fmt.Sprintf("%05d", 10000+r.IntN(89999))
	}
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }
