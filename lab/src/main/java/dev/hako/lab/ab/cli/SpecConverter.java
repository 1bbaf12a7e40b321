package dev.hako.lab.ab.cli;

import dev.hako.lab.ab.VariantSpec;
import picocli.CommandLine;

/** Lets picocli parse a variant spec and show its error as the usage error. */
public final class SpecConverter implements CommandLine.ITypeConverter<VariantSpec> {
    @Override
    public VariantSpec convert(String value) {
        try {
            return VariantSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
