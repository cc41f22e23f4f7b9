package io.flowrecon.api.imageset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.api.auth.Callers;
import io.flowrecon.api.config.ApiConfig;
import io.flowrecon.api.error.ApiException;
import io.flowrecon.api.imageset.ImageSetArchives.Format;
import io.flowrecon.api.imageset.ImageSetViews.ImageSetDetail;
import io.flowrecon.api.imageset.ImageSetViews.ImageSetList;
import io.flowrecon.api.imageset.ImageSetViews.ImageSetSummary;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Named sets of images: uploaded as a JSON list of base64 PNGs or as a zip / tar / tar.gz archive, or declared
 * by the server's configuration. Jobs and experiments reference their images by set and index.
 */
@Path("/api/v1/image-sets")
@Produces(MediaType.APPLICATION_JSON)
public class ImageSetResource {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final String NAME_RULE =
            "required: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit";
    private static final int MAX_PAGE = 1000;

    private final ImageSetStore store;
    private final ObjectMapper mapper;
    private final ImageSetLimits limits;
    private final Callers callers;

    public ImageSetResource(ImageSetStore store, ObjectMapper mapper, ApiConfig config, Callers callers) {
        this.store = store;
        this.mapper = mapper;
        this.callers = callers;
        ApiConfig.ImageSets sets = config.imageSets();
        this.limits = new ImageSetLimits(sets.maxImages(), sets.maxImageBytes(), sets.maxSide());
    }

    /** {@code {"name": "faces", "images": [BASE64 | {"name": "a.png", "png": BASE64}, ...]}}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createFromJson(String body, @Context UriInfo uri)
            throws SQLException, IOException {
        JsonNode json = body == null || body.isBlank() ? null : mapper.readTree(body);
        if (json == null || !json.isObject()) {
            throw InvalidImageSetException.of("body", "required: a JSON object {\"name\": ..., \"images\": [...]}");
        }
        String name = name(json.path("name").isTextual() ? json.get("name").asText() : null, "name");
        List<ImageSetEntry> entries = ImageSetArchives.fromJson(json.get("images"), limits.maxImages());
        return created(callers.owner(), name, entries, uri);
    }

    /** An archive body: {@code Content-Type: application/zip}, {@code application/x-tar} or {@code application/gzip}. */
    @POST
    @Consumes({"application/zip", "application/x-zip-compressed", "application/x-tar", "application/tar",
            "application/gzip", "application/x-gzip", "application/x-compressed-tar"})
    public Response createFromArchive(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                      @QueryParam("name") String name, InputStream body, @Context UriInfo uri)
            throws SQLException {
        String checkedName = name(name, "name (query parameter)");
        Format format = Format.ofContentType(contentType);
        List<ImageSetEntry> entries = ImageSetArchives.fromArchive(body, format, limits);
        return created(callers.owner(), checkedName, entries, uri);
    }

    @GET
    public ImageSetList list() throws SQLException {
        return new ImageSetList(store.list(callers.owner()));
    }

    /** The set and a page of its images ({@code offset}, {@code limit} up to 1000). */
    @GET
    @Path("/{id}")
    public ImageSetDetail get(@PathParam("id") String id,
                              @QueryParam("offset") @DefaultValue("0") int offset,
                              @QueryParam("limit") @DefaultValue("100") int limit, @Context UriInfo uri)
            throws SQLException {
        if (offset < 0) {
            throw ApiException.badRequest("invalid-query", "offset must be >= 0, got " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("invalid-query", "limit must be 1.." + MAX_PAGE + ", got " + limit);
        }
        ImageSetSummary set = visible(id);
        String base = uri.getBaseUriBuilder().path("api/v1/image-sets").path(set.id().toString()).build() + "/";
        return new ImageSetDetail(set, offset, limit,
                store.images(set.id(), offset, limit, base + "images/", base + "thumbnails/"));
    }

    @GET
    @Path("/{id}/images/{index}")
    @Produces("image/png")
    public Response image(@PathParam("id") String id,
                          @PathParam("index") int index) throws SQLException {
        return Response.ok(png(id, index), "image/png").build();
    }

    /** The image with its longer side at 96 pixels, for pages and grids. */
    @GET
    @Path("/{id}/thumbnails/{index}")
    @Produces("image/png")
    public Response thumbnail(@PathParam("id") String id,
                              @PathParam("index") int index) throws SQLException {
        return Response.ok(Thumbnails.of(png(id, index)), "image/png").build();
    }

    private Response created(String owner, String name, List<ImageSetEntry> entries, UriInfo uri) throws SQLException {
        ImageSetChecker.CheckedSet set = new ImageSetChecker(limits).check(entries);
        ImageSetSummary summary;
        try {
            summary = store.create(owner, name, "upload", set);
        } catch (ImageSetStore.NameTakenException e) {
            throw ApiException.conflict(e.getMessage());
        }
        return Response.created(uri.getBaseUriBuilder().path("api/v1/image-sets").path(summary.id().toString()).build())
                .entity(summary).build();
    }

    private byte[] png(String id, int index) throws SQLException {
        ImageSetSummary set = visible(id);
        if (index < 0 || index >= set.count()) {
            throw ApiException.notFound("image set " + id + " has images 0.." + (set.count() - 1) + ", not " + index);
        }
        return store.png(callers.owner(), set.id(), index)
                .orElseThrow(() -> ApiException.notFound("image " + index + " of set " + id + " not found"));
    }

    private ImageSetSummary visible(String id) throws SQLException {
        UUID set;
        try {
            set = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-id", "image set id must be a UUID, got '" + id + "'");
        }
        return store.find(callers.owner(), set)
                .orElseThrow(() -> ApiException.notFound("image set " + id + " not found"));
    }

    private static String name(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw InvalidImageSetException.of(field, NAME_RULE + (name == null ? "" : ", got '" + name + "'"));
        }
        return name;
    }
}
