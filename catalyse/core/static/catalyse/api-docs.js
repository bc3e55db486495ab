// /api/v1/docs: Swagger UI (vendored, see vendor/swagger-ui/VERSION) on the OpenAPI document. Requests tried
// from the page carry the session's CSRF token, as the site's own forms do.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis];
  var token = root.dataset.csrfToken;
  if (token) {
    settings.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = token;
      return request;
    };
  }
  window.SwaggerUIBundle(settings);
})();
