// Starts Swagger UI on /api/docs. It is a file rather than an inline <script> so that the page works under the
// Content-Security-Policy "script-src 'self'". The page's container carries the OpenAPI document's URL
// (data-spec-url) and flask-smorest's OPENAPI_SWAGGER_UI_CONFIG as JSON (data-config).
(function () {
  "use strict";

  window.addEventListener("load", function () {
    var container = document.getElementById("swagger-ui-container");
    var config = {
      url: container.dataset.specUrl,
      dom_id: "#swagger-ui-container",
      // no badge from the public validator: the page loads nothing from another origin
      validatorUrl: null,
    };
    var overrides = JSON.parse(container.dataset.config || "{}");
    Object.keys(overrides).forEach(function (name) {
      config[name] = overrides[name];
    });
    window.ui = SwaggerUIBundle(config);
  });
})();
