// UsageSdk dashboard: a small enhancement only. The page works without it: sorting and filtering are links and GET
// forms, the state is in the URL. This script adds a "Copy link to this view" button.
(function () {
  "use strict";
  var button = document.querySelector("button.copy-link");
  if (!button || !navigator.clipboard) {
    return;
  }
  var label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(window.location.href).then(function () {
      button.textContent = "Link copied";
      window.setTimeout(function () { button.textContent = label; }, 2000);
    }, function () {
      button.textContent = "Copy failed: use the address bar";
    });
  });
})();
