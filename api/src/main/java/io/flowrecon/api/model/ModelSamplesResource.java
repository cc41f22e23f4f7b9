package io.flowrecon.api.model;

import io.flowrecon.api.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The grid of generator samples a bundle folder carries ({@code samples.png}, written by
 * {@code ./flowrecon model} and the trainer): a look at what the prior believes images are.
 * Imported models get one from their validation ({@code models.samples_png}); baselines have none.
 */
@Path("/api/v1/models/{id}/samples.png")
public class ModelSamplesResource {

    static final String FILE_NAME = "samples.png";

    private final DataSource dataSource;

    public ModelSamplesResource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GET
    @Produces({"image/png", MediaType.APPLICATION_JSON})
    public Response samples(@PathParam("id") String id) throws SQLException {
        byte[] png = find(id);
        if (png == null) {
            throw new ApiException(404, "image-not-available", "model '" + id + "' has no " + FILE_NAME
                    + " (baselines have no generator; a model being validated gets one when it is ready)");
        }
        return Response.ok(png, "image/png").build();
    }

    /** The grid of a model: its folder's samples.png, or the one its import validation drew; null if none. */
    private byte[] find(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "select bundle_path, samples_png from models where id = ? and status <> 'deleted'")) {
            statement.setString(1, id);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                byte[] drawnAtImport = row.getBytes(2);
                if (drawnAtImport != null) {
                    return drawnAtImport;
                }
                java.nio.file.Path file = folderSamples(row.getString(1));
                return file == null ? null : Files.readAllBytes(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the samples of model " + id, e);
        }
    }

    /** The samples.png of a bundle folder, or null where there is no folder or no file. */
    static java.nio.file.Path folderSamples(String bundlePath) {
        if (bundlePath == null) {
            return null;
        }
        java.nio.file.Path file = java.nio.file.Path.of(bundlePath, FILE_NAME);
        return Files.isRegularFile(file) ? file : null;
    }
}
