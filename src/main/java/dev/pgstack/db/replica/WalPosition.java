package dev.pgstack.db.replica;

/** A PostgreSQL WAL position (pg_lsn, written {@code 16/B374D848}) as a number that compares in WAL order. */
public final class WalPosition {

    /** No position: a read without a read-your-writes marker. */
    public static final long NONE = 0L;

    private WalPosition() {
    }

    /** Parses {@code hi/lo} (hexadecimal); {@link #NONE} for anything else, which a client may have sent. */
    public static long parse(String text) {
        if (text == null) {
            return NONE;
        }
        int slash = text.indexOf('/');
        if (slash < 1 || slash > 8 || text.length() - slash - 1 < 1 || text.length() - slash - 1 > 8) {
            return NONE;
        }
        for (int i = 0; i < text.length(); i++) {
            if (i != slash && Character.digit(text.charAt(i), 16) < 0) {
                return NONE;
            }
        }
        try {
            long hi = Long.parseLong(text, 0, slash, 16);
            long lo = Long.parseLong(text, slash + 1, text.length(), 16);
            return hi << 32 | lo;
        } catch (NumberFormatException e) {
            return NONE;
        }
    }

    public static String format(long position) {
        return Long.toHexString(position >>> 32).toUpperCase() + "/" + Long.toHexString(position & 0xFFFFFFFFL)
                .toUpperCase();
    }
}
