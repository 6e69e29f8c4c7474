-- Undo of V2: the product catalog (the sequence goes with products, which owns it).
DROP TABLE products;
DROP TABLE categories;
