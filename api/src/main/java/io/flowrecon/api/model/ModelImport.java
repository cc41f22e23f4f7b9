package io.flowrecon.api.model;

import io.flowrecon.api.error.ApiException;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.ModelKinds;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The fields of an import (the multipart form of POST /api/v1/models), checked one by one: a bad field is a
 * 400 naming it and the rule.
 *
 * @param generator the bytes of generator.onnx
 * @param encoder   the bytes of encoder.onnx, or null
 */
public record ModelImport(String id, String kind, String dataset, ModelCard.ValueRange valueRange, byte[] generator,
                          byte[] encoder) {

    /** The kinds a generator can be imported as: the latent solvers'. */
    public static final List<String> KINDS = List.of(ModelKinds.GLOW, ModelKinds.DCGAN);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public static ModelImport read(String id, String kind, String dataset, String valueRange, byte[] generator,
                                   byte[] encoder) {
        if (id == null || !ID.matcher(id).matches()) {
            throw invalid("id", "must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit, got "
                    + (id == null ? "nothing" : "'" + id + "'"));
        }
        if (kind == null || !KINDS.contains(kind)) {
            throw invalid("kind", "must be one of " + String.join(", ", KINDS) + ", got " + (kind == null ? "nothing" : "'" + kind + "'"));
        }
        if (generator == null || generator.length == 0) {
            throw invalid("generator", "the generator's ONNX file is required (form field 'generator')");
        }
        if (encoder != null && encoder.length == 0) {
            encoder = null;
        }
        if (dataset != null && (dataset.isBlank() || dataset.length() > 100)) {
            throw invalid("dataset", "must be 1 to 100 characters when given");
        }
        return new ModelImport(id, kind, dataset, range(valueRange), generator, encoder);
    }

    private static ModelCard.ValueRange range(String text) {
        if (text == null || text.isBlank()) {
            return ModelCard.ValueRange.UNIT;
        }
        String[] parts = text.split(",");
        try {
            if (parts.length == 2) {
                double low = Double.parseDouble(parts[0].strip());
                double high = Double.parseDouble(parts[1].strip());
                if (Double.isFinite(low) && Double.isFinite(high) && low < high) {
                    return new ModelCard.ValueRange(low, high);
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw invalid("valueRange", "must be LO,HI with finite LO < HI (e.g. 0,1 or -1,1), got '" + text + "'");
    }

    private static ApiException invalid(String field, String rule) {
        return ApiException.badRequest("invalid-model", field + ": " + rule);
    }
}
