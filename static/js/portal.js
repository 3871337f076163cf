// Small progressive enhancements. Every flow works without this file.
document.addEventListener("submit", function (event) {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// An export's page follows its build: it asks the status URL every 1.5 s, moves the
// progress bar and its text, and once the build ended shows the file's link (or the
// reason it failed) in place, inside the page's live region. Without this file the
// page's Refresh link does the same.
(function () {
  const region = document.querySelector("[data-export-status][data-export-building]");
  if (!region) {
    return;
  }
  const url = region.getAttribute("data-export-status");
  function show(status) {
    if (!status.building) {
      region.innerHTML = status.html;
      region.removeAttribute("data-export-building");
      return;
    }
    const bar = region.querySelector("progress");
    if (bar && status.state === "building" && status.total > 1) {
      bar.max = status.total;
      bar.value = status.done;
    }
    const text = region.querySelector("[data-export-text]");
    if (text && text.textContent !== status.text) {
      text.textContent = status.text;
    }
    window.setTimeout(poll, 1500);
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(function () {
        window.setTimeout(poll, 5000);  // the server restarting: ask again later
      });
  }
  window.setTimeout(poll, 1500);
})();
