from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Strict CSP: scripts and styles only from our own origin, never inline scripts.

    Views serving embeddable widgets set `response.frame_ancestors` to allow framing.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        tiles = settings.MAP_TILE_URL
        img_src = "'self' data: blob:"
        if tiles:
            # Tile URLs look like https://{s}.tile.example.org/{z}/{x}/{y}.png: allow that host family.
            from urllib.parse import urlsplit

            host = urlsplit(tiles.replace("{s}.", "")).netloc
            img_src += f" https://{host} https://*.{host}"
        self.policy = (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {img_src}; font-src 'self'; connect-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            ancestors = getattr(response, "frame_ancestors", "'none'")
            response.headers["Content-Security-Policy"] = f"{self.policy}; frame-ancestors {ancestors}"
        return response
