package sandbox

import (
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// KYC in the sandbox: opening a session makes the user pending; uploading
// an identity document while a session is pending verifies both.

func vpCreateKYCSession(c *call) (int, any, *apiError) {
	u, e := c.user(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in vaultspay.KYCSessionCreate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	if in.ReturnURL != "" {
		if ru, err := url.Parse(in.ReturnURL); err != nil || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Host == "" || len(in.ReturnURL) > 2000 {
			return 0, nil, errInvalid(codeParamInvalid, "return_url", "Invalid return_url: want an absolute http(s) URL.")
		}
	}
	if u.kyc == "verified" {
		return 0, nil, errConflict(typeInvalid, "kyc_already_verified", "User %s is already verified.", u.id)
	}
	iss := c.iss
	now := iss.now()
	k := &kycSession{
		id: iss.newID("kyc_", func(id string) bool { return iss.sessions[id] != nil }), userID: u.id,
		status: "pending", returnURL: in.ReturnURL, created: now, updated: now,
	}
	iss.sessions[k.id] = k
	u.kyc, u.kycSession, u.kycUpdated, u.updated = "pending", k.id, now, now
	iss.emit(vaultspay.EventUserKYCUpdated, vpUser(u))
	return http.StatusCreated, vpSession(k), nil
}

func vpGetKYCSession(c *call) (int, any, *apiError) {
	u, e := c.user(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	k := c.iss.sessions[c.param("session_id")]
	if k == nil || k.userID != u.id {
		return 0, nil, errNotFound("kyc_session", c.param("session_id"), "session_id")
	}
	return http.StatusOK, vpSession(k), nil
}

func isDocumentType(t string) bool {
	switch t {
	case "passport", "national_id", "driving_licence", "proof_of_address":
		return true
	}
	return false
}

func vpUploadDocument(c *call) (int, any, *apiError) {
	u, e := c.user(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in vaultspay.DocumentCreate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	switch {
	case in.Type == "":
		return 0, nil, errMissing("type")
	case !isDocumentType(in.Type):
		return 0, nil, errInvalid(codeParamInvalid, "type", "Invalid type: must be one of passport, national_id, driving_licence, proof_of_address.")
	}
	if e := checkText(in.Filename, "filename", true); e != nil {
		return 0, nil, e
	}
	if in.FileBase64 == "" {
		return 0, nil, errMissing("file_base64")
	}
	data, err := base64.StdEncoding.DecodeString(in.FileBase64)
	if err != nil || len(data) == 0 {
		return 0, nil, errInvalid(codeParamInvalid, "file_base64", "Invalid file_base64: want the file's bytes in standard base64.")
	}
	iss := c.iss
	now := iss.now()
	d := &document{
		id: iss.newID("doc_", func(id string) bool { return iss.documents[id] != nil }), userID: u.id,
		typ: in.Type, filename: in.Filename, size: len(data), created: now,
	}
	iss.documents[d.id] = d
	if k := iss.sessions[u.kycSession]; k != nil && k.status == "pending" && in.Type != "proof_of_address" {
		k.status, k.updated = "verified", now
		u.kyc, u.kycUpdated, u.updated = "verified", now, now
		iss.emit(vaultspay.EventUserKYCUpdated, vpUser(u))
	}
	return http.StatusCreated, vpDocument(d), nil
}
