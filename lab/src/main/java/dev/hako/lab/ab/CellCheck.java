package dev.hako.lab.ab;

/** One criterion judged in one cell, with the numbers behind it in words. */
public record CellCheck(Cell cell, Status status, String detail) {
    /** {@code T=32 R=90: delta +7.1 % (spread 2.0 / 3.1 %) PASS}. */
    public String line() {
        return cell.label() + ": " + detail + " " + status.word();
    }
}
