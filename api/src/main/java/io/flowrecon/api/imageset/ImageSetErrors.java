package io.flowrecon.api.imageset;

import io.flowrecon.api.error.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A rejected upload answers 400 with every violation, as a rejected job spec does. */
public class ImageSetErrors {

    @ServerExceptionMapper
    public Response invalidImageSet(InvalidImageSetException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("invalid-image-set",
                        "the image set has " + e.violations().size() + " problem(s); see violations", e.violations()))
                .build();
    }
}
