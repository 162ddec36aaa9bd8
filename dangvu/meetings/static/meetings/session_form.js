// A new session: when the kind changes, the invitees follow its rule until the organiser picks
// them by hand (no inline script: the Content-Security-Policy forbids it).
"use strict";
(function () {
  var kind = document.getElementById("id_kind");
  var invitees = document.getElementById("id_invitees");
  if (!kind || !invitees) {
    return;
  }
  var defaults = JSON.parse(kind.getAttribute("data-invitees") || "{}");
  var touched = false;
  invitees.addEventListener("change", function () {
    touched = true;
  });
  kind.addEventListener("change", function () {
    if (!touched && defaults[kind.value]) {
      invitees.value = defaults[kind.value];
    }
  });
})();
