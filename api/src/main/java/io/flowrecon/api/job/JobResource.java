package io.flowrecon.api.job;

import io.flowrecon.api.auth.Callers;
import io.flowrecon.api.job.openapi.JobSpecSchema;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flowrecon.api.job.JobViews.JobPage;
import io.flowrecon.api.job.JobViews.JobRef;
import io.flowrecon.api.job.JobViews.JobView;
import io.flowrecon.api.job.JobViews.Progress;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.sql.SQLException;

/**
 * Jobs: submit, read, cancel, history. Query parameters arrive as strings and are parsed by the
 * services, so that a bad value is a 400 that names the parameter (JAX-RS would answer 404).
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobSubmitter submitter;
    private final JobReader reader;
    private final JobCanceller canceller;
    private final Callers callers;

    public JobResource(JobSubmitter submitter, JobReader reader, JobCanceller canceller, Callers callers) {
        this.submitter = submitter;
        this.reader = reader;
        this.canceller = canceller;
        this.callers = callers;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a reconstruction job", description = "202 with the job id; 400 listing every"
            + " violation of the spec, each by field and rule")
    public Response submit(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                   schema = @Schema(implementation = JobSpecSchema.class),
                                   examples = {
                                           @ExampleObject(name = "compressive sensing", value = JobSpecSchema.EXAMPLE),
                                           @ExampleObject(name = "measurements given", value = JobSpecSchema.EXAMPLE_MEASURED)}))
                           String body, @Context UriInfo uri)
            throws SQLException, JsonProcessingException {
        JobRef job = submitter.submit(callers.owner(), body);
        return Response.accepted(job).location(uri.getAbsolutePathBuilder().path(job.id().toString()).build()).build();
    }

    @GET
    @Operation(summary = "A page of the caller's history", description = "an admin key may name another owner"
            + " with ?owner=")
    public JobPage history(@QueryParam("status") String status,
                           @QueryParam("model") String model, @QueryParam("experiment") String experiment,
                           @QueryParam("since") String since, @QueryParam("limit") String limit,
                           @QueryParam("cursor") String cursor, @QueryParam("owner") String owner)
            throws SQLException {
        return reader.list(callers.listedOwner(owner), HistoryQuery.parse(status, model, experiment, since, limit, cursor));
    }

    @GET
    @Path("/{id}")
    public JobView get(@PathParam("id") String id) throws SQLException {
        return reader.get(callers.owner(), JobIds.parse(id));
    }

    @GET
    @Path("/{id}/progress")
    public Progress progress(@PathParam("id") String id) throws SQLException {
        return reader.progress(callers.owner(), JobIds.parse(id));
    }

    @GET
    @Path("/{id}/image")
    @Produces({"image/png", MediaType.APPLICATION_JSON})
    public Response image(@PathParam("id") String id,
                          @QueryParam("kind") String kind) throws SQLException {
        byte[] png = reader.image(callers.owner(), JobIds.parse(id), JobReader.ImageKind.parse(kind));
        return Response.ok(png, "image/png").build();
    }

    @DELETE
    @Path("/{id}")
    public JobRef cancel(@PathParam("id") String id) throws SQLException {
        return canceller.cancel(callers.owner(), JobIds.parse(id));
    }
}
