package dev.hako.lab.ab;

import java.util.List;

/** The seed's criteria judged for B against A, and the verdict they lead to. */
public record Assessment(List<Criterion> criteria, Verdict verdict) {
    public Assessment {
        criteria = List.copyOf(criteria);
    }
}
