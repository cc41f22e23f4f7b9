package io.flowrecon.api.auth;

import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.api.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * JWT bearer tokens, verified offline with the public key the test profile configures
 * ({@code mp.jwt.verify.publickey.location}, issuer {@value #ISSUER}); the owner is the {@code email} claim
 * ({@code flowrecon.auth.jwt.owner-claim}), admin the {@code admin} group. Tokens are signed here with the
 * matching test-only private key.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class JwtAuthTest {

    static final String ISSUER = "https://issuer.test/flowrecon";
    private static final String PRIVATE_KEY = "auth/test-jwt-private.pem";

    private static JwtClaimsBuilder claims(String email) {
        return Jwt.issuer(ISSUER).subject("user-" + email.hashCode()).claim("email", email)
                .expiresIn(Duration.ofMinutes(5));
    }

    private static String token(String email) {
        return claims(email).sign(PRIVATE_KEY);
    }

    private static String submit(io.restassured.specification.RequestSpecification as) {
        return as.contentType(ContentType.JSON).body(TestJobs.lassoJob(10).toString())
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
    }

    @Test
    void theOwnerIsTheConfiguredClaimAndMatchesThatOwnersApiKey() {
        String owner = TestJobs.uniqueOwner() + "@example.org";
        String id = submit(TestKeys.withKey(token(owner)));
        TestKeys.withKey(token(owner)).get("/api/v1/jobs/" + id).then().statusCode(200).body("owner", equalTo(owner));
        TestKeys.as(owner).get("/api/v1/jobs/" + id).then().statusCode(200);
        TestKeys.withKey(token(TestJobs.uniqueOwner() + "@example.org")).get("/api/v1/jobs/" + id)
                .then().statusCode(404);
    }

    @Test
    void theAdminGroupMayListAnotherOwner() {
        String alice = TestJobs.uniqueOwner();
        String id = submit(TestKeys.as(alice));
        String admin = claims(TestJobs.uniqueOwner() + "@example.org").groups(Set.of("admin")).sign(PRIVATE_KEY);
        TestKeys.withKey(admin).queryParam("owner", alice).get("/api/v1/jobs").then().statusCode(200)
                .body("items.id", hasItem(id));
        String plain = claims(TestJobs.uniqueOwner() + "@example.org").groups(Set.of("users")).sign(PRIVATE_KEY);
        TestKeys.withKey(plain).queryParam("owner", alice).get("/api/v1/jobs").then().statusCode(403);
    }

    @Test
    void tokensThatFailVerificationAre401() throws NoSuchAlgorithmException {
        String owner = TestJobs.uniqueOwner() + "@example.org";
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String foreignKey = claims(owner).sign(generator.generateKeyPair().getPrivate());
        String expired = Jwt.issuer(ISSUER).subject("expired").claim("email", owner)
                .issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().minusSeconds(1800)).sign(PRIVATE_KEY);
        String otherIssuer = claims(owner).issuer("https://elsewhere.test").sign(PRIVATE_KEY);
        for (String token : new String[] {foreignKey, expired, otherIssuer}) {
            TestKeys.withKey(token).get("/api/v1/jobs").then().statusCode(401).contentType(ContentType.JSON)
                    .body("error", equalTo("invalid-credentials"))
                    .body("message", containsString("./flowrecon keys create"));
        }
    }

    @Test
    void aTokenWithoutTheOwnerClaimIs401NamingTheClaim() {
        String token = Jwt.issuer(ISSUER).subject("someone").expiresIn(Duration.ofMinutes(5)).sign(PRIVATE_KEY);
        given().header("Authorization", "Bearer " + token).get("/api/v1/jobs").then().statusCode(401)
                .body("error", equalTo("invalid-credentials")).body("message", containsString("'email'"));
    }
}
