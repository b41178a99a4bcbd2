-- Documents rules create (quotes, invoices, contracts): numbered per type without gaps,
-- rendered to PDF by the outbox after the run's transaction, kept with the item.

-- The last number given out per document type. A number is taken in the transaction
-- that stores its document: a rolled-back run gives its number back, a committed one
-- keeps it for good (documents are never deleted), so numbers have no gaps and no reuse.
CREATE TABLE document_numbers (
    doc_type     TEXT    PRIMARY KEY,
    last_number  INTEGER NOT NULL CHECK (last_number > 0)
);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER REFERENCES items(id) ON DELETE SET NULL,  -- the document outlives its item
    doc_type     TEXT    NOT NULL,                   -- quote, invoice, contract
    number       INTEGER NOT NULL,
    number_text  TEXT    NOT NULL,                   -- as printed, e.g. INV-00042
    template     TEXT    NOT NULL,
    language     TEXT    NOT NULL,
    title        TEXT    NOT NULL,                   -- the item's title when it was created
    gross        INTEGER,                            -- total with tax, minor units
    currency     TEXT    NOT NULL,
    html         TEXT    NOT NULL,                   -- rendered in the run: what the PDF shows
    state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'ready', 'failed')),
    path         TEXT    NOT NULL,                   -- its PDF below DATA_DIR/documents (the outbox writes it)
    size         INTEGER,
    error        TEXT,
    run_id       INTEGER REFERENCES rule_runs(id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL,
    rendered_at  TEXT,
    UNIQUE (doc_type, number)
);
CREATE INDEX documents_by_item ON documents(item_id, id);
