/*
 * Draws a Chart.js chart on every <canvas data-chart="ID">, from the JSON config (type, data,
 * options) in the element #ID, which a template writes with Django's json_script. The config is
 * built in Python, so this file knows nothing about any one chart; a page loads
 * vendor/chartjs/chart.umd.min.js and then this file, both with defer.
 *
 * A chart repeats a table that is on the page, so a chart that cannot be drawn loses nothing.
 */
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }
  const Chart = window.Chart;
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  // Charts take the page's text font and colour, so that they read as part of the page.
  const page = window.getComputedStyle(document.body);
  Chart.defaults.font.family = page.fontFamily;
  Chart.defaults.font.size = 14;
  Chart.defaults.color = page.color;

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || Chart.getChart(canvas)) {
      return;
    }
    const config = JSON.parse(source.textContent);
    config.options = config.options || {};
    // Numbers in the page's language: a decimal comma on the Swedish pages.
    if (!config.options.locale && document.documentElement.lang) {
      config.options.locale = document.documentElement.lang;
    }
    if (reduceMotion.matches) {
      config.options.animation = false;
    }
    // A horizontal bar chart is as tall as its bars, so that each keeps its label: its frame's
    // height is written in the stylesheet from --bars, set here rather than in a style attribute,
    // which the Content-Security-Policy refuses.
    if (config.options.indexAxis === "y") {
      canvas.parentElement.style.setProperty("--bars", String(config.data.labels.length));
    }
    new Chart(canvas, config);
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
