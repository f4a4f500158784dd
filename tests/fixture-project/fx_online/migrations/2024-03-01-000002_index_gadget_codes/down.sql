DROP INDEX gadgets_code;
