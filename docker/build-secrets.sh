# Sourced by the builder's downloading RUN steps (`. build-secrets`): points
# curl, pip and npm at the build secrets when the build was given them, e.g.
# behind a TLS-intercepting proxy. Secrets are mounted under /run/secrets for
# that one step only, so nothing of them stays in a layer.
#   ca       CA bundle (PEM) to trust
#   pipconf  a pip.conf (index-url, ...)
#   npmrc    an .npmrc (registry, ...)
# Without them the defaults apply (the image's CA bundle, PyPI, npmjs.org).
# Environment variables take precedence over the config files, so a CA path
# inside a given pip.conf/.npmrc (a host path) is overridden by the secret.
if [ -f /run/secrets/ca ]; then
  export CURL_CA_BUNDLE=/run/secrets/ca PIP_CERT=/run/secrets/ca NPM_CONFIG_CAFILE=/run/secrets/ca
fi
if [ -f /run/secrets/pipconf ]; then export PIP_CONFIG_FILE=/run/secrets/pipconf; fi
if [ -f /run/secrets/npmrc ]; then export NPM_CONFIG_USERCONFIG=/run/secrets/npmrc; fi
