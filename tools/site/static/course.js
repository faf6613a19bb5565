// Stepped galleries: one chart at a time, with a button per setting in order, opening at the lesson's own setting
// (data-start); without this script, every chart shows, in order.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".course-gallery").forEach((gallery) => {
    const steps = [...gallery.querySelectorAll(":scope > figure.course-step")];
    if (steps.length < 2) return;
    const bar = document.createElement("div");
    bar.className = "course-steps";
    const show = (index) => {
      steps.forEach((step, i) => step.classList.toggle("shown", i === index));
      [...bar.children].forEach((button, i) => button.setAttribute("aria-pressed", String(i === index)));
    };
    steps.forEach((step, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = step.dataset.label;
      button.addEventListener("click", () => show(i));
      bar.appendChild(button);
    });
    steps[0].before(bar);
    gallery.classList.add("stepped");
    const start = Number.parseInt(gallery.dataset.start || "0", 10);
    show(start >= 0 && start < steps.length ? start : 0);
  });
});
