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
 * Only folder bundles have one; they are the server's and shared by every caller.
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
        String folder = bundlePath(id);
        java.nio.file.Path file = folder == null ? null : java.nio.file.Path.of(folder, FILE_NAME);
        if (file == null || !Files.isRegularFile(file)) {
            // One answer for unknown, imported (perhaps another owner's) and sample-less models: it reveals nothing.
            throw new ApiException(404, "image-not-available", "model '" + id + "' has no " + FILE_NAME
                    + " (only the server's bundle folders carry one)");
        }
        try {
            return Response.ok(Files.readAllBytes(file), "image/png").build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private String bundlePath(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "select bundle_path from models where id = ? and builtin")) {
            statement.setString(1, id);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
