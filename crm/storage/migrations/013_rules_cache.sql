-- The engine keeps each stage's rules in memory while `rules_version` stands. Every change
-- to the rules table moves it, in the transaction of the change — also a rule deleted with
-- its stage or pipeline — so a process that reads the row knows whether its copy is current.
INSERT OR IGNORE INTO app_settings (key, value) VALUES ('rules_version', '0');

CREATE TRIGGER rules_version_on_insert AFTER INSERT ON rules BEGIN
    UPDATE app_settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'rules_version';
END;

CREATE TRIGGER rules_version_on_update AFTER UPDATE ON rules BEGIN
    UPDATE app_settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'rules_version';
END;

CREATE TRIGGER rules_version_on_delete AFTER DELETE ON rules BEGIN
    UPDATE app_settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'rules_version';
END;
