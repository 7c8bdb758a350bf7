package sandbox

// Categories lists the merchant categories the sandbox uses: Vydapay's
// documented category list, which VaultsPay cards share.
func Categories() []string {
	return []string{
		"airlines", "car_rental", "hotels", "restaurants", "fuel", "groceries",
		"office_supplies", "software_services", "advertising", "gambling", "atm",
		"adult_entertainment",
	}
}

// isCategory reports whether c is one of Categories.
func isCategory(c string) bool {
	switch c {
	case "airlines", "car_rental", "hotels", "restaurants", "fuel", "groceries",
		"office_supplies", "software_services", "advertising", "gambling", "atm",
		"adult_entertainment":
		return true
	}
	return false
}

// categoryMCC is the merchant category code the catalogue uses for c.
func categoryMCC(c string) string {
	switch c {
	case "airlines":
		return "4511"
	case "car_rental":
		return "7512"
	case "hotels":
		return "7011"
	case "restaurants":
		return "5812"
	case "fuel":
		return "5541"
	case "groceries":
		return "5411"
	case "office_supplies":
		return "5943"
	case "software_services":
		return "5734"
	case "advertising":
		return "7311"
	case "gambling":
		return "7995"
	case "atm":
		return "6011"
	case "adult_entertainment":
		return "7273"
	}
	return "5999"
}

// categoryWeight is how often card traffic goes to c, in parts per 1000.
func categoryWeight(c string) int {
	switch c {
	case "groceries":
		return 230
	case "restaurants":
		return 220
	case "fuel":
		return 110
	case "software_services":
		return 100
	case "office_supplies":
		return 60
	case "atm":
		return 70
	case "hotels":
		return 50
	case "airlines":
		return 40
	case "car_rental":
		return 30
	case "advertising":
		return 35
	case "gambling":
		return 35
	case "adult_entertainment":
		return 20
	}
	return 0
}

// categoryRisk is the fraud score a category starts from.
func categoryRisk(c string) int {
	switch c {
	case "gambling":
		return 45
	case "adult_entertainment":
		return 40
	case "atm":
		return 20
	case "airlines":
		return 10
	}
	return 0
}

// Merchants is the merchant catalogue card traffic is drawn from.
func Merchants() []Merchant {
	m := func(id, name, category, city, country string) Merchant {
		return Merchant{ID: id, Name: name, Category: category, MCC: categoryMCC(category), City: city, Country: country}
	}
	return []Merchant{
		m("mid_emirates", "EMIRATES", "airlines", "Dubai", "AE"),
		m("mid_etihad", "ETIHAD AIRWAYS", "airlines", "Abu Dhabi", "AE"),
		m("mid_britishairways", "BRITISH AIRWAYS", "airlines", "London", "GB"),
		m("mid_ryanair", "RYANAIR", "airlines", "Dublin", "IE"),
		m("mid_airfrance", "AIR FRANCE", "airlines", "Paris", "FR"),
		m("mid_lufthansa", "LUFTHANSA", "airlines", "Frankfurt", "DE"),
		m("mid_delta", "DELTA AIR LINES", "airlines", "Atlanta", "US"),
		m("mid_hertz", "HERTZ", "car_rental", "London", "GB"),
		m("mid_sixt", "SIXT", "car_rental", "Munich", "DE"),
		m("mid_europcar", "EUROPCAR", "car_rental", "Paris", "FR"),
		m("mid_ekar", "EKAR CAR RENTAL", "car_rental", "Dubai", "AE"),
		m("mid_enterprise", "ENTERPRISE RENT-A-CAR", "car_rental", "New York", "US"),
		m("mid_marriott", "MARRIOTT HOTELS", "hotels", "Dubai", "AE"),
		m("mid_hilton", "HILTON LONDON", "hotels", "London", "GB"),
		m("mid_premierinn", "PREMIER INN", "hotels", "Manchester", "GB"),
		m("mid_accor", "ACCOR NOVOTEL", "hotels", "Paris", "FR"),
		m("mid_nhhotels", "NH HOTELES", "hotels", "Madrid", "ES"),
		m("mid_hyatt", "HYATT REGENCY", "hotels", "Chicago", "US"),
		m("mid_jumeirah", "JUMEIRAH BEACH HOTEL", "hotels", "Dubai", "AE"),
		m("mid_pret", "PRET A MANGER", "restaurants", "London", "GB"),
		m("mid_nandos", "NANDO'S", "restaurants", "Birmingham", "GB"),
		m("mid_wagamama", "WAGAMAMA", "restaurants", "London", "GB"),
		m("mid_talabat", "TALABAT", "restaurants", "Dubai", "AE"),
		m("mid_deliveroo", "DELIVEROO", "restaurants", "London", "GB"),
		m("mid_zuma", "ZUMA DUBAI", "restaurants", "Dubai", "AE"),
		m("mid_leon", "LEON DE BRUXELLES", "restaurants", "Lille", "FR"),
		m("mid_vapiano", "VAPIANO", "restaurants", "Berlin", "DE"),
		m("mid_starbucks", "STARBUCKS", "restaurants", "Seattle", "US"),
		m("mid_ichiran", "ICHIRAN RAMEN", "restaurants", "Tokyo", "JP"),
		m("mid_enoc", "ENOC", "fuel", "Dubai", "AE"),
		m("mid_adnoc", "ADNOC DISTRIBUTION", "fuel", "Abu Dhabi", "AE"),
		m("mid_shell", "SHELL", "fuel", "London", "GB"),
		m("mid_bp", "BP", "fuel", "Leeds", "GB"),
		m("mid_totalenergies", "TOTALENERGIES", "fuel", "Lyon", "FR"),
		m("mid_aral", "ARAL", "fuel", "Hamburg", "DE"),
		m("mid_bapco", "BAPCO", "fuel", "Manama", "BH"),
		m("mid_carrefour", "CARREFOUR", "groceries", "Dubai", "AE"),
		m("mid_lulu", "LULU HYPERMARKET", "groceries", "Abu Dhabi", "AE"),
		m("mid_spinneys", "SPINNEYS", "groceries", "Dubai", "AE"),
		m("mid_tesco", "TESCO STORES", "groceries", "London", "GB"),
		m("mid_sainsburys", "SAINSBURY'S", "groceries", "Bristol", "GB"),
		m("mid_waitrose", "WAITROSE", "groceries", "Oxford", "GB"),
		m("mid_monoprix", "MONOPRIX", "groceries", "Paris", "FR"),
		m("mid_rewe", "REWE", "groceries", "Cologne", "DE"),
		m("mid_mercadona", "MERCADONA", "groceries", "Valencia", "ES"),
		m("mid_albertheijn", "ALBERT HEIJN", "groceries", "Amsterdam", "NL"),
		m("mid_wholefoods", "WHOLE FOODS MARKET", "groceries", "Austin", "US"),
		m("mid_staples", "STAPLES", "office_supplies", "Boston", "US"),
		m("mid_ryman", "RYMAN", "office_supplies", "London", "GB"),
		m("mid_officedepot", "OFFICE DEPOT", "office_supplies", "Amsterdam", "NL"),
		m("mid_viking", "VIKING DIRECT", "office_supplies", "Dublin", "IE"),
		m("mid_jarir", "JARIR BOOKSTORE", "office_supplies", "Dubai", "AE"),
		m("mid_github", "GITHUB", "software_services", "San Francisco", "US"),
		m("mid_aws", "AMAZON WEB SERVICES", "software_services", "Seattle", "US"),
		m("mid_atlassian", "ATLASSIAN", "software_services", "Sydney", "AU"),
		m("mid_figma", "FIGMA", "software_services", "San Francisco", "US"),
		m("mid_notion", "NOTION LABS", "software_services", "San Francisco", "US"),
		m("mid_slack", "SLACK TECHNOLOGIES", "software_services", "Dublin", "IE"),
		m("mid_jetbrains", "JETBRAINS", "software_services", "Prague", "CZ"),
		m("mid_hetzner", "HETZNER ONLINE", "software_services", "Gunzenhausen", "DE"),
		m("mid_googleads", "GOOGLE ADS", "advertising", "Dublin", "IE"),
		m("mid_metaads", "META PLATFORMS ADS", "advertising", "Dublin", "IE"),
		m("mid_linkedinads", "LINKEDIN ADS", "advertising", "Dublin", "IE"),
		m("mid_tiktokads", "TIKTOK ADS", "advertising", "Singapore", "SG"),
		m("mid_bet365", "BET365", "gambling", "Stoke-on-Trent", "GB"),
		m("mid_pokerstars", "POKERSTARS", "gambling", "Douglas", "IM"),
		m("mid_casinomalta", "CASINO MALTA", "gambling", "St Julian's", "MT"),
		m("mid_bellagio", "BELLAGIO CASINO", "gambling", "Las Vegas", "US"),
		m("mid_1xbet", "1XBET", "gambling", "Moscow", "RU"),
		m("mid_atm_enbd", "EMIRATES NBD ATM", "atm", "Dubai", "AE"),
		m("mid_atm_adcb", "ADCB ATM", "atm", "Abu Dhabi", "AE"),
		m("mid_atm_barclays", "BARCLAYS ATM", "atm", "London", "GB"),
		m("mid_atm_bnp", "BNP PARIBAS ATM", "atm", "Paris", "FR"),
		m("mid_atm_chase", "CHASE ATM", "atm", "New York", "US"),
		m("mid_atm_bbk", "BBK ATM", "atm", "Manama", "BH"),
		m("mid_atm_mufg", "MUFG ATM", "atm", "Tokyo", "JP"),
		m("mid_onlyfans", "ONLYFANS", "adult_entertainment", "London", "GB"),
		m("mid_nightclub", "PACHA NIGHTCLUB", "adult_entertainment", "Ibiza", "ES"),
		m("mid_adultweb", "XBIZ MEDIA", "adult_entertainment", "Limassol", "CY"),
		m("mid_belarusweb", "MINSK DIGITAL", "software_services", "Minsk", "BY"),
	}
}
