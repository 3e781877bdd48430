/* The dashboard's charts (Apache ECharts, vendored under static/vendor/echarts), drawn
   from the numbers the page hands over through json_script (#dashboard-data). The tables
   beside them hold the same numbers, so nothing is lost where a chart cannot be read.
   Clicking a region's bar or tile opens that region's dashboard. */
(function () {
  "use strict";

  // 未开始, 草稿, 审阅中, 退回修改, 已通过: the order of words.STATE_COLUMNS.
  const STATE_COLORS = ["#adb5bd", "#6c757d", "#0d6efd", "#dc3545", "#198754"];
  const charts = [];

  function open(link) {
    if (link) window.location.href = link;
  }

  // A phone's legend takes two lines.
  const narrow = window.matchMedia("(max-width: 575.98px)").matches;

  function states(element, data) {
    const rows = data.categories.length;
    const top = narrow ? 60 : 40;
    element.style.height = Math.max(240, rows * 26 + top + 40) + "px";
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: STATE_COLORS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 4 },
      grid: { left: 8, right: 24, top: top, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.categories, axisLabel: { width: 110, overflow: "truncate" } },
      series: data.series.map(function (serie) {
        return { name: serie.name, type: "bar", stack: "states", barMaxWidth: 22, data: serie.data };
      }),
    });
    chart.on("click", function (event) {
      open(data.links[event.dataIndex]);
    });
    return chart;
  }

  // A region's tile is red when little of what it owes is approved, green when most is.
  function rateColor(rate) {
    const stops = [
      [0, [241, 174, 181]],
      [50, [255, 230, 156]],
      [100, [163, 207, 187]],
    ];
    for (let i = 1; i < stops.length; i++) {
      if (rate <= stops[i][0]) {
        const [from, a] = stops[i - 1];
        const [to, b] = stops[i];
        const t = (rate - from) / (to - from);
        const mix = a.map(function (value, k) {
          return Math.round(value + (b[k] - value) * t);
        });
        return "rgb(" + mix.join(",") + ")";
      }
    }
    return "rgb(163,207,187)";
  }

  function treemap(element, nodes, labels) {
    nodes = nodes.map(function (node) {
      return Object.assign({}, node, { itemStyle: { color: rateColor(node.value[1]) } });
    });
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: {
        formatter: function (info) {
          const value = info.value || [0, 0];
          return info.name + "<br>" + labels.must + " " + value[0] + "<br>" + labels.rate + " " + value[1] + "%";
        },
      },
      series: [
        {
          type: "treemap",
          data: nodes,
          roam: false,
          nodeClick: false,
          breadcrumb: { show: false },
          width: "100%",
          height: "100%",
          top: 0,
          left: 0,
          label: {
            formatter: function (info) {
              return info.name + "\n" + info.value[0];
            },
            color: "#212529",
          },
          itemStyle: { borderColor: "#fff", borderWidth: 2, gapWidth: 2 },
        },
      ],
    });
    chart.on("click", function (event) {
      open(event.data && event.data.link);
    });
    return chart;
  }

  function days(element, data, labels) {
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#a4161a"],
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.dates, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: labels.submissions, type: "bar", barMaxWidth: 18, data: data.counts }],
    });
    return chart;
  }

  function draw() {
    const source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    const statesElement = document.getElementById("chart-states");
    if (statesElement && data.states.categories.length) charts.push(states(statesElement, data.states));
    const treemapElement = document.getElementById("chart-treemap");
    if (treemapElement) {
      // Beside the bars on a wide screen, as tall as they are.
      if (!narrow && statesElement) treemapElement.style.height = statesElement.style.height;
      if (data.treemap.length) charts.push(treemap(treemapElement, data.treemap, data.labels));
      else treemapElement.hidden = true;
    }
    const daysElement = document.getElementById("chart-days");
    if (daysElement && data.days.dates.length) charts.push(days(daysElement, data.days, data.labels));
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
  }

  draw();
})();
