/* Poll each running job's JSON status; text goes in with textContent only. Reload once a job ends. */
(function () {
  var boxes = document.querySelectorAll(".jobstatus[data-active='1']");
  if (!boxes.length) { return; }
  function poll(box) {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        box.querySelectorAll("[data-field]").forEach(function (el) {
          var value = data[el.dataset.field];
          el.textContent = value === null || value === undefined ? "" : String(value);
        });
        if (data.finished) { window.location.reload(); return; }
        window.setTimeout(function () { poll(box); }, 3000);
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 10000); });
  }
  boxes.forEach(function (box) { window.setTimeout(function () { poll(box); }, 3000); });
})();
</script>
