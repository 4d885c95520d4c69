// Draws one Plotly figure sent by malkoll/ui/chart.py, with Plotly's basic bundle.
//
// Why not st.plotly_chart: Streamlit's chart element loads the full plotly.js
// (4.7 MB, every trace type) and a first view spends about a second fetching
// and evaluating it before the chart can draw. Our charts use lines, markers
// and bars only; the basic bundle (1.2 MB) has them. See bench/README.md, finding (c).

import "./plotly-basic.min.js"; // sets window.Plotly
import swedish from "./plotly-locale-sv.js";

const Plotly = window.Plotly;
Plotly.register(swedish);

// An "expand" mark on a 1000 × 1000 grid, in the style of Plotly's own modebar icons.
const FULLSCREEN_ICON = {
  width: 1000,
  height: 1000,
  path: "M100 100h300v100h-200v200h-100zM600 100h300v300h-100v-200h-200zM100 600h100v200h200v100h-300zM800 600h100v300h-300v-100h200z",
};

export default function (component) {
  const { data, parentElement } = component;
  const figure = JSON.parse(data.figure);
  // The figure's height goes to the element, so the plot can fill a full screen and come back.
  const { height = 450, ...layout } = figure.layout || {};
  layout.autosize = true;
  layout.font = Object.assign({ family: getComputedStyle(document.body).fontFamily }, layout.font);

  let holder = parentElement.querySelector(".malkoll-chart");
  if (!holder) {
    holder = document.createElement("div");
    holder.className = "malkoll-chart";
    holder.style.background = "white";
    holder.appendChild(document.createElement("div"));
    parentElement.appendChild(holder);
  }
  const plot = holder.firstElementChild;
  plot.style.height = height + "px";

  const fitScreen = () => {
    plot.style.height = document.fullscreenElement === holder ? "100vh" : height + "px";
    Plotly.Plots.resize(plot);
  };
  document.addEventListener("fullscreenchange", fitScreen);

  const config = {
    locale: "sv",
    responsive: true,
    displaylogo: false,
    modeBarButtonsToAdd: [
      {
        name: "fullscreen",
        title: "Helskärm (Esc avslutar)",
        icon: FULLSCREEN_ICON,
        click: () => (document.fullscreenElement === holder ? document.exitFullscreen() : holder.requestFullscreen()),
      },
    ],
  };
  Plotly.react(plot, figure.data || [], layout, config);

  return () => {
    document.removeEventListener("fullscreenchange", fitScreen);
    Plotly.purge(plot);
  };
}
