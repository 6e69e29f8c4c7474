package dev.pgstack.db.replica;

import jakarta.enterprise.context.RequestScoped;

/**
 * The WAL position that this request's reads must see: the client's last acknowledged write (read your writes),
 * set by web.readyourwrites.ReadYourWrites from the request, {@link WalPosition#NONE} when the client sent none.
 */
@RequestScoped
public class ReadAfter {

    private long position = WalPosition.NONE;

    public long position() {
        return position;
    }

    public void position(long position) {
        this.position = position;
    }
}
