/* Autosave of the indicator form (no build step, no libraries).
 *
 * A change is kept in localStorage at once and posted to the JSON endpoint a
 * few seconds later, or when the focus leaves a field. The server saves a
 * draft only if the version the page started from is still current (else 409).
 * Until the server confirms, the entry stays in localStorage: after a reload,
 * a crash or an expired session the page restores it and sends it again.
 *
 * Stored entry: {version, fields: {name: value}, at, submitting?}
 */
(function () {
  "use strict";

  var DELAY_MS = 3000;
  var RETRY_MS = 15000;
  var form = document.getElementById("score-form");
  if (!form || form.getAttribute("data-readonly") || !window.fetch || !window.FormData) return;

  var key = form.getAttribute("data-storage-key");
  var endpoint = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var versionInput = form.querySelector('input[name="version"]');
  var timer = null;
  var inflight = null;
  var dirty = false;
  var changes = 0;
  var blocked = null; // null, "login", "conflict", "locked": sending waits for the user

  // ------------------------------------------------------------ helpers

  function show(text, kind, buttons) {
    if (!status) return;
    status.textContent = text;
    status.className = "autosave " + (kind || "");
    (buttons || []).forEach(function (spec) {
      var element;
      if (spec.href) {
        element = document.createElement("a");
        element.href = spec.href;
      } else {
        element = document.createElement("button");
        element.type = "button";
        element.className = "secondary";
        element.addEventListener("click", spec.action);
      }
      element.textContent = spec.label;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(element);
    });
  }

  function version() {
    return Number(versionInput.value) || 0;
  }

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || name === "csrfmiddlewaretoken" || name === "version" || name === "action") return;
      if (element.type === "file" || element.type === "submit" || element.type === "button") return;
      if (element.type === "radio" || element.type === "checkbox") {
        if (element.checked) data[name] = element.value;
        else if (!(name in data)) data[name] = "";
        return;
      }
      data[name] = element.value;
    });
    return data;
  }

  function apply(data) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || !(element.name in data)) return;
      if (element.type === "radio" || element.type === "checkbox") element.checked = element.value === data[element.name];
      else if (element.type !== "file" && element.type !== "hidden") element.value = data[element.name];
    });
  }

  function same(a, b) {
    var names = Object.keys(a).concat(Object.keys(b));
    return names.every(function (name) {
      return (a[name] || "") === (b[name] || "");
    });
  }

  function store(extra) {
    var entry = { version: version(), fields: fields(), at: Date.now() };
    if (extra) Object.keys(extra).forEach(function (k) { entry[k] = extra[k]; });
    try {
      window.localStorage.setItem(key, JSON.stringify(entry));
    } catch (error) {
      /* private mode or full storage: the server copy is all we have */
    }
  }

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function forget() {
    try {
      window.localStorage.removeItem(key);
    } catch (error) {
      /* nothing stored */
    }
  }

  function token() {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function markErrors(errors) {
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (element) {
      element.removeAttribute("aria-invalid");
    });
    Object.keys(errors || {}).forEach(function (name) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (element) {
        element.setAttribute("aria-invalid", "true");
      });
    });
  }

  // ------------------------------------------------------------ sending

  function schedule(delay) {
    window.clearTimeout(timer);
    var configured = Number(form.getAttribute("data-autosave-delay")) || DELAY_MS; // tests shorten it
    timer = window.setTimeout(send, delay === undefined ? configured : delay);
  }

  function changed() {
    dirty = true;
    changes += 1;
    store();
    if (!blocked) {
      show("有未保存的修改…", "pending");
      schedule();
    }
  }

  function refreshToken() {
    return window
      .fetch(form.getAttribute("data-csrf-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) return false;
        return response.json().then(function (data) {
          var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
          if (!input || !data.token) return false;
          input.value = data.token;
          return true;
        });
      })
      .catch(function () {
        return false;
      });
  }

  function send(retried) {
    window.clearTimeout(timer);
    if (!dirty || blocked) return;
    if (inflight) {
      schedule(500);
      return;
    }
    var sent = changes;
    var body = new FormData(form);
    body.delete("action");
    show("正在保存…", "pending");
    inflight = window
      .fetch(endpoint, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token(), "X-Requested-With": "XMLHttpRequest", Accept: "application/json" },
      })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            inflight = null;
            handle(response.status, data, sent, retried === true);
          });
      })
      .catch(function () {
        inflight = null;
        show("网络中断：内容已保存在本浏览器，恢复后自动重试", "error");
        schedule(RETRY_MS);
      });
  }

  function handle(code, data, sent, retried) {
    if (code === 200 && data.ok) {
      versionInput.value = data.version;
      markErrors({});
      var badge = document.getElementById("score-status");
      if (badge && data.status_label) {
        badge.textContent = data.status_label;
        badge.className = "badge " + data.status;
      }
      if (changes === sent) {
        dirty = false;
        forget();
        show("已自动保存 " + (data.saved_at || ""), "ok");
      } else {
        store();
        schedule();
      }
      return;
    }
    if (code === 401) {
      loginNeeded(data.error);
      return;
    }
    if (code === 403 && !data.locked) {
      // The CSRF token went stale (logged in again, perhaps in another tab): fetch a fresh one and retry once.
      if (retried) {
        loginNeeded("无法保存：登录状态已变化，请重新登录；内容已保存在本浏览器");
        return;
      }
      refreshToken().then(function (ok) {
        if (ok) send(true);
        else loginNeeded();
      });
      return;
    }
    if (code === 403) {
      blocked = "locked";
      show(data.error || "该指标已锁定，不能再修改", "error");
      return;
    }
    if (code === 409) {
      conflict(data);
      return;
    }
    if (code === 400) {
      markErrors(data.errors);
      show(data.error || "未保存：请检查填写的内容", "error");
      return; // the next change sends again
    }
    show("保存失败（" + code + "）：内容已保存在本浏览器，稍后自动重试", "error");
    schedule(RETRY_MS);
  }

  function loginNeeded(message) {
    blocked = "login";
    show(message || "登录已超时：内容已保存在本浏览器，重新登录后会自动续传", "error", [
      { label: "重新登录", href: form.getAttribute("data-login-url") },
    ]);
  }

  function conflict(data) {
    blocked = "conflict";
    show(data.error || "该指标已在其他页面修改", "error", [
      {
        label: "载入服务器版本",
        action: function () {
          forget();
          window.location.reload();
        },
      },
      {
        label: "用我的内容覆盖",
        action: function () {
          versionInput.value = data.version;
          blocked = null;
          dirty = true;
          store();
          send();
        },
      },
    ]);
  }

  // After logging in again in another tab, coming back here resumes sending.
  window.addEventListener("focus", function () {
    if (blocked !== "login") return;
    refreshToken().then(function (ok) {
      if (!ok) return;
      blocked = null;
      send(true);
    });
  });

  // ------------------------------------------------------------ restore on load

  function restore() {
    var entry = stored();
    if (!entry || !entry.fields) return;
    var current = fields();
    if (same(entry.fields, current)) {
      forget(); // nothing unsent
      return;
    }
    if (entry.submitting && version() > entry.version) {
      forget(); // the form post that stored it went through
      return;
    }
    apply(entry.fields);
    dirty = true;
    changes += 1;
    if (entry.version === version()) {
      show("已恢复本浏览器中未保存的内容，正在续传…", "pending");
      schedule(300);
      return;
    }
    var when = new Date(entry.at || Date.now()).toLocaleString("zh-CN");
    blocked = "conflict";
    show("已恢复本浏览器中 " + when + " 未保存的内容，但服务器上的记录此后已被修改。", "error", [
      {
        label: "保存我的内容",
        action: function () {
          blocked = null;
          store();
          send();
        },
      },
      {
        label: "放弃，使用服务器版本",
        action: function () {
          forget();
          window.location.reload();
        },
      },
    ]);
  }

  // ------------------------------------------------------------ events

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", function () {
    if (dirty && !blocked) schedule(0);
  });
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (inflight) {
      // Let the running autosave finish first, so the form posts the version it produced.
      event.preventDefault();
      var submitter = event.submitter;
      inflight.then(function () {
        if (form.requestSubmit) form.requestSubmit(submitter || undefined);
        else form.submit();
      });
      return;
    }
    store({ submitting: true });
  });

  restore();
})();
