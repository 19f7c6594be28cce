package dev.keyway.scim;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class GroupConcurrencyTest {

    @Test
    void twentyParallelPatchesAddingDifferentMembersLoseNone() throws Exception {
        ScimOrg org = ScimOrg.create("race");
        String group = org.scim().body("{\"displayName\":\"Everyone\"}").post("/Groups").then().extract().path("id");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(JumpCloudFlowTest.createUser(org, "racer" + i + "@acme.test"));
        }

        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Integer>> patches = users.stream().<Callable<Integer>>map(user -> () -> org.scim()
                    .body(JumpCloudFlowTest.PATCH + "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                            + user + "\"}]}]}")
                    .patch("/Groups/" + group).statusCode()).toList();
            for (Future<Integer> status : pool.invokeAll(patches)) {
                assertEquals(204, status.get());
            }
        } finally {
            pool.shutdown();
        }

        org.scim().get("/Groups/" + group).then()
                .body("members.value", containsInAnyOrder(users.toArray()))
                .body("meta.version", equalTo("W/\"21\""));
    }
}
