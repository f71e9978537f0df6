// omskevents: WebAuthn security keys (adding one on the second-factor page, using one after the password).
// Every text shown comes from the server (data-* attributes or the JSON answers); the CSP allows this file only.
"use strict";

(function () {
  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) {
      raw += String.fromCharCode(bytes[i]);
    }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken(root) {
    var field = root.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, token, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          var error = new Error(data.error || "");
          error.redirect = data.redirect;
          error.fromServer = true;
          throw error;
        }
        return data;
      });
    });
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var out = { id: credential.id, rawId: toText(credential.rawId), type: credential.type, response: {} };
    out.response.clientDataJSON = toText(response.clientDataJSON);
    if (response.attestationObject) {
      out.response.attestationObject = toText(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    }
    if (response.authenticatorData) {
      out.response.authenticatorData = toText(response.authenticatorData);
      out.response.signature = toText(response.signature);
      out.response.userHandle = response.userHandle ? toText(response.userHandle) : null;
    }
    out.clientExtensionResults = credential.getClientExtensionResults ? credential.getClientExtensionResults() : {};
    return out;
  }

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach(function (item) {
      item.id = toBytes(item.id);
    });
    return options;
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach(function (item) {
      item.id = toBytes(item.id);
    });
    return options;
  }

  function show(box, text) {
    if (!box) {
      return;
    }
    box.textContent = text;
    box.hidden = !text;
  }

  function failed(box, root, error) {
    if (error && error.redirect) {
      window.location.assign(error.redirect);
      return;
    }
    show(box, error && error.fromServer && error.message ? error.message : root.dataset.failed);
  }

  function supported() {
    return Boolean(window.PublicKeyCredential && navigator.credentials);
  }

  // Adding a key: <form data-security-key-add data-options-url data-register-url data-failed data-unsupported>.
  document.querySelectorAll("[data-security-key-add]").forEach(function (form) {
    var box = form.querySelector("[data-security-key-message]");
    var button = form.querySelector("button[type=submit]");
    if (!supported()) {
      show(box, form.dataset.unsupported);
      button.disabled = true;
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = csrfToken(form);
      var name = form.querySelector("input[name=name]").value;
      show(box, "");
      button.disabled = true;
      post(form.dataset.optionsUrl, token, { name: name })
        .then(function (data) {
          return navigator.credentials.create({ publicKey: creationOptions(data.publicKey) });
        })
        .then(function (credential) {
          return post(form.dataset.registerUrl, token, { credential: credentialJSON(credential) });
        })
        .then(function (data) {
          window.location.assign(data.redirect);
        })
        .catch(function (error) {
          button.disabled = false;
          failed(box, form, error);
        });
    });
  });

  // Using a key after the password: <div data-security-key-login data-options-url data-login-url ...>.
  document.querySelectorAll("[data-security-key-login]").forEach(function (root) {
    var box = root.querySelector("[data-security-key-message]");
    var button = root.querySelector("button");
    if (!supported()) {
      show(box, root.dataset.unsupported);
      button.disabled = true;
      return;
    }
    button.addEventListener("click", function () {
      var token = csrfToken(root);
      show(box, "");
      button.disabled = true;
      post(root.dataset.optionsUrl, token, {})
        .then(function (data) {
          if (data.redirect) {
            return data;
          }
          return navigator.credentials
            .get({ publicKey: requestOptions(data.publicKey) })
            .then(function (credential) {
              return post(root.dataset.loginUrl, token, { credential: credentialJSON(credential) });
            });
        })
        .then(function (data) {
          window.location.assign(data.redirect);
        })
        .catch(function (error) {
          button.disabled = false;
          failed(box, root, error);
        });
    });
  });
})();
