package io.flowrecon.api.model;

import io.flowrecon.api.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.sql.SQLException;
import java.util.List;

/** The prior registry. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final ModelCatalog catalog;

    public ModelResource(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    public record ModelList(List<ModelView> items) {
    }

    @GET
    public ModelList list() throws SQLException {
        return new ModelList(catalog.list());
    }

    @GET
    @Path("/{id}")
    public ModelView get(@PathParam("id") String id) throws SQLException {
        return catalog.find(id).orElseThrow(() -> ApiException.notFound("no model '" + id + "' is registered"));
    }
}
