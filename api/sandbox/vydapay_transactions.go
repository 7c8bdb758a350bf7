package sandbox

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vydapay"
)

func vyListTransactions(c *call) (int, any, *apiError) {
	f, e := readTxFilter(c.q, []string{"pending", "completed", "declined", "refunded"},
		[]string{"purchase", "refund", "atm_withdrawal"})
	if e != nil {
		return 0, nil, e
	}
	iss := c.iss
	cardID, holder := c.q.get("card_id"), c.q.get("cardholder_id")
	base := iss.txs.order
	switch {
	case cardID != "":
		base = iss.cardTx[cardID]
	case holder != "":
		base = iss.userTx[holder]
	}
	match := func(t *tx) bool {
		return (cardID == "" || t.cardID == cardID) && (holder == "" || t.userID == holder) && f.match(t)
	}
	return vyList(c, "/v1/transactions", base, iss.txs.get, match, vyTx)
}

func vyGetTransaction(c *call) (int, any, *apiError) {
	t, ok := c.iss.txs.get(c.param("id"))
	if !ok {
		return 0, nil, errNotFound("transaction", c.param("id"), "id")
	}
	return http.StatusOK, vyTx(t), nil
}

// receiptFile reads the upload: JSON file_base64, or a multipart "file".
func receiptFile(c *call) (name string, data []byte, e *apiError) {
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if len(c.body) == 0 || err != nil || mt != "multipart/form-data" {
		var in vydapay.ReceiptCreate
		if e := decodeBody(c.body, &in); e != nil {
			return "", nil, e
		}
		if in.FileBase64 == "" {
			return "", nil, errMissing("file_base64")
		}
		if e := checkText(in.Filename, "filename", false); e != nil {
			return "", nil, e
		}
		data, err := base64.StdEncoding.DecodeString(in.FileBase64)
		if err != nil || len(data) == 0 {
			return "", nil, errInvalid(codeParamInvalid, "file_base64", "Invalid file_base64: want the file's bytes in standard base64.")
		}
		return in.Filename, data, nil
	}
	if params["boundary"] == "" {
		return "", nil, errInvalid(codeBodyInvalid, "", "The multipart body has no boundary in its Content-Type.")
	}
	mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, errInvalid(codeBodyInvalid, "", "The multipart body is malformed.")
		}
		if part.FormName() != "file" {
			return "", nil, errInvalid(codeParamUnknown, clip(part.FormName(), 64), "Received unknown parameter: %s.", clip(part.FormName(), 64))
		}
		if data != nil {
			return "", nil, errInvalid(codeParamInvalid, "file", "Send one file.")
		}
		b, err := io.ReadAll(part)
		if err != nil {
			return "", nil, errInvalid(codeBodyInvalid, "", "The multipart body is malformed.")
		}
		data, name = b, part.FileName()
	}
	if data == nil {
		return "", nil, errMissing("file")
	}
	if len(data) == 0 {
		return "", nil, errInvalid(codeParamInvalid, "file", "The file is empty.")
	}
	if e := checkText(name, "file", false); e != nil {
		return "", nil, e
	}
	return name, data, nil
}

func vyAttachReceipt(c *call) (int, any, *apiError) {
	iss := c.iss
	t, ok := iss.txs.get(c.param("id"))
	if !ok {
		return 0, nil, errNotFound("transaction", c.param("id"), "id")
	}
	name, data, e := receiptFile(c)
	if e != nil {
		return 0, nil, e
	}
	if t.status == api.TxDeclined {
		return 0, nil, errUnprocessable(codeTxState, "id", "Transaction %s was declined; receipts attach only to transactions that went through.", t.id)
	}
	now := iss.now()
	if t.receipt != nil {
		delete(iss.receipts, t.receipt.id)
	}
	r := &receipt{
		id: iss.newID("rcpt_", func(id string) bool { return iss.receipts[id] != nil }), txID: t.id,
		status: "matched", filename: name, size: len(data), created: now,
	}
	iss.receipts[r.id] = r
	t.receipt = r
	out := vyReceipt(r)
	iss.emit(vydapay.EventReceiptMatched, out)
	return http.StatusCreated, out, nil
}
