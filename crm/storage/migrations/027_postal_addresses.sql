-- What a German invoice needs (issue 15): the client's postal address (§ 14 UStG: the full
-- name and address of the recipient) on contacts and companies, one text each as typed
-- ("Musterstraße 1, 10115 Berlin"; documents print one line per part between commas).
ALTER TABLE contacts ADD COLUMN address TEXT;
ALTER TABLE companies ADD COLUMN address TEXT;

-- Document number prefixes are settings now (INVOICE_PREFIX, ...): a printed number must
-- stay unique even when a type's new prefix repeats another type's old one. The running
-- numbers are per type (006), so before the prefixes could change this always held.
CREATE UNIQUE INDEX documents_by_number_text ON documents(number_text);
