/* Progress of a background job: poll its JSON status every second, update
 * the bar and the polite live region (only when the message changes, so that
 * screen readers are not flooded), and show the result when it is done. */
(function () {
  "use strict";

  var box = document.querySelector("[data-job]");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var message = box.querySelector("[data-job-message]");
  var lastText = message.textContent;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.done) {
          window.location.replace(job.url);
          return;
        }
        bar.value = job.progress;
        bar.textContent = job.progress + " %";
        var text = (job.message || job.status_label) + " (" + job.progress + " %)";
        if (text !== lastText) {
          message.textContent = text;
          lastText = text;
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
