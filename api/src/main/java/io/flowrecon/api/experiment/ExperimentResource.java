package io.flowrecon.api.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flowrecon.api.error.ApiException;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentCreated;
import io.flowrecon.api.experiment.ExperimentViews.ExperimentSummary;
import io.flowrecon.api.job.Owners;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.sql.SQLException;
import java.util.UUID;

/** Sweeps of jobs and their summaries. */
@Path("/api/v1/experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentResource {

    private final ExperimentService experiments;

    public ExperimentResource(ExperimentService experiments) {
        this.experiments = experiments;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(Owners.HEADER) String owner, String body, @Context UriInfo uri)
            throws SQLException, JsonProcessingException {
        ExperimentCreated created = experiments.create(Owners.fromHeader(owner), body);
        return Response.accepted(created).location(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).build();
    }

    @GET
    @Path("/{id}")
    public ExperimentSummary get(@HeaderParam(Owners.HEADER) String owner, @PathParam("id") String id) throws SQLException {
        UUID experiment;
        try {
            experiment = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-id", "experiment id must be a UUID, got '" + id + "'");
        }
        return experiments.summary(Owners.fromHeader(owner), experiment);
    }
}
