-- The catalog's unfiltered listing takes its total from this one row instead of count(*), which reads an index
-- entry of every product on every page: at 10,000 products that was half the database's time per page
-- (bench/README.md). Statement triggers keep it exact in the transaction that inserts or deletes products, so a
-- snapshot sees the count of the products it sees. The price: transactions that create or delete products at
-- the same moment queue on this row until the first commits (one row lock, held from the statement to COMMIT).
CREATE TABLE product_count (
    only_row boolean PRIMARY KEY DEFAULT true CONSTRAINT product_count_one_row CHECK (only_row),
    products bigint  NOT NULL CONSTRAINT product_count_not_negative CHECK (products >= 0)
);

-- No product may come or go between the count and the triggers (a rolling deploy keeps writing).
LOCK TABLE products IN SHARE MODE;
INSERT INTO product_count (products) SELECT count(*) FROM products;
-- Statistics now: unanalyzed, a one-page table is estimated at thousands of rows, which can make plans that read
-- it look expensive enough to be compiled (JIT) on every execution.
ANALYZE product_count;

CREATE FUNCTION product_count_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed bigint;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE product_count SET products = 0;
        RETURN NULL;
    END IF;
    SELECT count(*) INTO changed FROM changed_rows;
    IF changed > 0 THEN -- a statement that touched no row takes no lock
        UPDATE product_count SET products = products + CASE TG_OP WHEN 'INSERT' THEN changed ELSE -changed END;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER products_count_inserted AFTER INSERT ON products REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION product_count_follow();
CREATE TRIGGER products_count_deleted AFTER DELETE ON products REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION product_count_follow();
CREATE TRIGGER products_count_truncated AFTER TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION product_count_follow();
