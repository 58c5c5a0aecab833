package io.videopipe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.videopipe.codec.CodecController;
import io.videopipe.codec.CodecProperties;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** The codec sign-in of the Temporal Web UI: an admin key becomes a cookie that opens /codec and nothing else. */
@WebMvcTest({CodecLoginController.class, CodecController.class})
@Import({ApiSecurityConfiguration.class, TempKeyStorage.class})
@TestPropertySource(
    properties = {
      "videopipe.security.keys[0].name=reader",
      "videopipe.security.keys[0].sha256=ec4408df15da46b328f6f3246fa723d0aa6cb0f0a0dd9c4626080ab1b02aa3b2",
      "videopipe.security.keys[0].scopes=read",
      "videopipe.security.bootstrap-key=admin-key"
    })
class CodecLoginTest {
  @TestConfiguration
  @EnableConfigurationProperties(CodecProperties.class)
  static class Props {}

  static final String EMPTY = "{\"payloads\":[]}";

  @Autowired MockMvc mvc;

  @Test
  void anAdminKeyBecomesAnHttpOnlyStrictCookieForTheCodecOnly() throws Exception {
    mvc.perform(get(CodecLoginController.PATH)).andExpect(status().isOk());
    MvcResult r = mvc.perform(post(CodecLoginController.PATH).contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .param("key", "admin-key"))
        .andExpect(status().isOk())
        .andReturn();
    String setCookie = r.getResponse().getHeader("Set-Cookie");
    assertThat(setCookie).startsWith(CodecLoginController.COOKIE + "=")
        .contains("Path=/codec", "HttpOnly", "SameSite=Strict", "Max-Age=28800")
        .doesNotContain("admin-key");
    Cookie cookie = r.getResponse().getCookie(CodecLoginController.COOKIE);

    mvc.perform(post("/codec/decode").cookie(cookie).contentType(MediaType.APPLICATION_JSON).content(EMPTY))
        .andExpect(status().isOk());
    // the same cookie is no key for the rest of the API
    mvc.perform(get("/api/v1/jobs").cookie(cookie)).andExpect(status().isUnauthorized());
    // and without it the codec stays closed
    mvc.perform(post("/codec/decode").contentType(MediaType.APPLICATION_JSON).content(EMPTY))
        .andExpect(status().isUnauthorized());
  }

  @Test
  void aKeyWithoutTheAdminScopeOrAForgedCookieIsRefused() throws Exception {
    mvc.perform(post(CodecLoginController.PATH).contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .param("key", "reader-key"))
        .andExpect(status().isUnauthorized())
        .andExpect(header().doesNotExist("Set-Cookie"));
    mvc.perform(post("/codec/decode").cookie(new Cookie(CodecLoginController.COOKIE, "bm90LWEta2V5"))
            .contentType(MediaType.APPLICATION_JSON).content(EMPTY))
        .andExpect(status().isUnauthorized());
  }
}
