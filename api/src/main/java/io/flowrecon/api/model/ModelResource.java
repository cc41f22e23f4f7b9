package io.flowrecon.api.model;

import io.flowrecon.api.error.ApiException;
import io.flowrecon.api.auth.Caller;
import io.flowrecon.api.auth.Callers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;

/** The prior registry: built-in models, bundles from the models folder, and models users import. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final ModelCatalog catalog;
    private final ModelImporter importer;
    private final ModelStore store;
    private final Callers callers;

    public ModelResource(ModelCatalog catalog, ModelImporter importer, ModelStore store, Callers callers) {
        this.catalog = catalog;
        this.importer = importer;
        this.store = store;
        this.callers = callers;
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

    /**
     * Imports a generator exported elsewhere (multipart/form-data: the file fields generator and, optionally,
     * encoder; the text fields id, kind, valueRange as LO,HI, dataset). Answers 202 with the model, which is
     * validating (or already rejected, with the reason); poll GET /api/v1/models/{id} until it is ready.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importModel(@RestForm("generator") FileUpload generator, @RestForm("encoder") FileUpload encoder,
                                @RestForm("id") String id, @RestForm("kind") String kind,
                                @RestForm("valueRange") String valueRange, @RestForm("dataset") String dataset)
            throws SQLException, IOException {
        ModelImport request = ModelImport.read(id, kind, dataset, valueRange, bytes(generator), bytes(encoder));
        ModelView model = importer.importModel(request, callers.owner());
        return Response.accepted(model).location(URI.create("/api/v1/models/" + model.id())).build();
    }

    /**
     * Deletes an imported model: its owner's (or an admin's) to delete, refused while queued or running jobs use
     * it. Built-in models are everyone's and nobody's to delete.
     */
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) throws SQLException, IOException {
        ModelView model = get(id);
        if (model.builtin()) {
            throw new ApiException(403, "forbidden", "model '" + id + "' is built in; only imported models can be deleted");
        }
        Caller caller = callers.current();
        if (!caller.admin() && !caller.owner().equals(model.owner())) {
            throw new ApiException(403, "forbidden", "model '" + id + "' was imported by another owner");
        }
        ModelStore.Deletion deletion = store.delete(id);
        if (deletion instanceof ModelStore.Deletion.InUse inUse) {
            throw ApiException.conflict("model '" + id + "' is used by " + inUse.jobs()
                    + " queued or running job(s); delete it when they have finished or are cancelled");
        }
        if (deletion instanceof ModelStore.Deletion.Missing) {
            throw ApiException.notFound("no model '" + id + "' is registered");
        }
        return Response.noContent().build();
    }

    private static byte[] bytes(FileUpload upload) throws IOException {
        return upload == null || upload.uploadedFile() == null ? null : Files.readAllBytes(upload.uploadedFile());
    }
}
