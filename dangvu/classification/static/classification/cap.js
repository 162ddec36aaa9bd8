// The cap on excellent recounted as the cell's secretary chooses levels in the proposal form
// (rules.md §1.4): the group's other levels come from the page, the form's from its selects. The
// server checks again when the office decides; this only shows where the choice stands.
"use strict";
(function () {
  var live = document.getElementById("live-cap");
  var form = document.getElementById("propose-form");
  if (!live || !form) {
    return;
  }
  var percent = parseInt(live.getAttribute("data-rate-percent"), 10);
  var readingA = live.getAttribute("data-base") === "A";
  var otherExcellent = parseInt(live.getAttribute("data-excellent"), 10);
  var otherGood = parseInt(live.getAttribute("data-good"), 10);

  function mostExcellent(pool) {
    // Reading A: x <= rate * (pool - x); Reading B: x <= rate * pool. Whole numbers, rounded down.
    return readingA ? Math.floor((percent * pool) / (100 + percent)) : Math.floor((percent * pool) / 100);
  }

  function update() {
    var excellent = otherExcellent;
    var good = otherGood;
    form.querySelectorAll("select[data-proposal]").forEach(function (select) {
      var level = select.value || select.getAttribute("data-proposal");
      if (level === "excellent") {
        excellent += 1;
      } else if (level === "good") {
        good += 1;
      }
    });
    var most = mostExcellent(excellent + good);
    live.querySelector("[data-chosen]").textContent = String(excellent);
    live.querySelector("[data-most]").textContent = String(most);
    live.querySelector("[data-over]").hidden = excellent <= most;
  }

  form.addEventListener("change", update);
  update();
  live.hidden = false;
})();
