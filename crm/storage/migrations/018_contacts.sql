-- Contacts (issue 12): a new contact is compared with the existing ones by e-mail (any case)
-- and by phone number (its digits, `phone_key` of migration 011), each through an index, so
-- the duplicate check stays one look-up at any number of contacts. Names are compared
-- through the contact_search index (migration 011).
CREATE INDEX contacts_by_email ON contacts(lower(email));
CREATE INDEX contacts_by_phone_key ON contacts(phone_key);
