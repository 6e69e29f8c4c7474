-- Undo of V6: listings count the products again.
DROP TRIGGER products_count_truncated ON products;
DROP TRIGGER products_count_deleted ON products;
DROP TRIGGER products_count_inserted ON products;
DROP FUNCTION product_count_follow();
DROP TABLE product_count;
