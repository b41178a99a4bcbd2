-- The leads' failure stage for leads that are no fit read "Ausschuss" (factory scrap) in
-- German; "Ungeeignet" says what it means. Only where nobody renamed it.
UPDATE stages SET name_de = 'Ungeeignet' WHERE code = 'junk' AND name_de = 'Ausschuss';
