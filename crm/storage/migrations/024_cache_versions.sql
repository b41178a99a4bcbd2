-- Each process keeps the staff and catalog rows in memory (crm/storage/cache_versions.py).
-- Every change to their tables moves the table group's version in the transaction of the
-- change (triggers: also a change made by a migration, a script or another process), and
-- each unit of work reads the versions first, so a process drops rows another one changed.
-- A later migration that makes one of these tables anew must create its triggers again.
CREATE TABLE cache_versions (
    name    TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO cache_versions (name, version) VALUES ('staff', 0), ('catalog', 0);

CREATE TRIGGER staff_version_on_insert AFTER INSERT ON staff BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'staff';
END;

CREATE TRIGGER staff_version_on_update AFTER UPDATE ON staff BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'staff';
END;

CREATE TRIGGER staff_version_on_delete AFTER DELETE ON staff BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'staff';
END;

CREATE TRIGGER entity_types_version_on_insert AFTER INSERT ON entity_types BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER entity_types_version_on_update AFTER UPDATE ON entity_types BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER entity_types_version_on_delete AFTER DELETE ON entity_types BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER pipelines_version_on_insert AFTER INSERT ON pipelines BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER pipelines_version_on_update AFTER UPDATE ON pipelines BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER pipelines_version_on_delete AFTER DELETE ON pipelines BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER stages_version_on_insert AFTER INSERT ON stages BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER stages_version_on_update AFTER UPDATE ON stages BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER stages_version_on_delete AFTER DELETE ON stages BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;
