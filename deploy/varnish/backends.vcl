# The site-specific part of the Newsroom VCL: where the app servers are and who may purge.
# newsroom.vcl includes this file by name (found through varnishd's vcl_path, which is
# /etc/varnish first on Debian), so a deployment edits only this file. Each app server is
# a gunicorn (`make serve`) listening on its own address.

import directors;

backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 10s;
}

# A second app server: uncomment it, and its line in vcl_init below.
# backend app2 {
#     .host = "10.0.0.12";
#     .port = "8000";
# }

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    # app.add_backend(app2);
}

# Addresses allowed to send PURGE (the app servers, which purge after every change).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub newsroom_backend {
    set req.backend_hint = app.backend();
}
