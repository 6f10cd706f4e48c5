// The API reference page (/docs): Swagger UI from the npm package, no CDN, no inline script.
import SwaggerUI from "swagger-ui-dist/swagger-ui-es-bundle.js";
import "swagger-ui-dist/swagger-ui.css";

SwaggerUI({ url: "/openapi.json", dom_id: "#swagger", deepLinking: true });
