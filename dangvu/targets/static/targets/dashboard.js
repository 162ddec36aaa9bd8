// The dashboard's charts (targets/dashboard.html), drawn by Chart.js from the page's data
// ({{ data|json_script:"dashboard-data" }}): no inline script, which the Content-Security-Policy forbids.
// Every chart has its table on the page, so the figures read the same without script.
"use strict";
(function () {
  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var lang = document.documentElement.lang || "vi";
  var numbers = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : lang, { maximumFractionDigits: 1 });
  var colours = ["#0b4f8a", "#a50e0e", "#1d6b2f", "#8a4b00", "#5b3a8a"];

  function shown(value, percent) {
    if (value === null || value === undefined) {
      return "—";
    }
    return numbers.format(value) + (percent ? "%" : "");
  }

  function draw(spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) {
      return;
    }
    var datasets = spec.datasets.map(function (set, i) {
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colours[i % colours.length],
        borderColor: colours[i % colours.length],
        spanGaps: true,
      };
    });
    var scale = { beginAtZero: true, ticks: { callback: function (v) { return shown(v, spec.percent); } } };
    if (spec.percent) {
      scale.max = 100;
    }
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: lang === "vi" ? "vi-VN" : lang,
        scales: { y: scale },
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + shown(item.raw, spec.percent);
              },
            },
          },
        },
      },
    });
    canvas.setAttribute("data-drawn", "true");
  }

  JSON.parse(source.textContent).charts.forEach(draw);
})();
