// Builds the base map of the package from Natural Earth (world-atlas), see README in
// wagtail_ar/static/wagtail_ar/vendor/natural-earth/. Run by scripts/build-basemap.
import { readFileSync, writeFileSync } from "node:fs";
import { feature, quantize } from "topojson-client";
import { topology } from "topojson-server";
import { presimplify, simplify, quantile } from "topojson-simplify";

const [west, south, east, north] = (process.env.BBOX || "-25,15,60,60").split(",").map(Number);
const source = process.argv[2];
const output = process.argv[3];
const world = JSON.parse(readFileSync(source, "utf8"));

function clipRing(ring) {
  // Sutherland–Hodgman against each side of the box.
  const edges = [
    (p) => p[0] >= west, (p) => p[0] <= east, (p) => p[1] >= south, (p) => p[1] <= north,
  ];
  const cross = [
    (a, b) => [west, a[1] + ((b[1] - a[1]) * (west - a[0])) / (b[0] - a[0])],
    (a, b) => [east, a[1] + ((b[1] - a[1]) * (east - a[0])) / (b[0] - a[0])],
    (a, b) => [a[0] + ((b[0] - a[0]) * (south - a[1])) / (b[1] - a[1]), south],
    (a, b) => [a[0] + ((b[0] - a[0]) * (north - a[1])) / (b[1] - a[1]), north],
  ];
  let points = ring.slice(0, -1);
  for (let side = 0; side < 4 && points.length; side++) {
    const inside = edges[side];
    const next = [];
    for (let i = 0; i < points.length; i++) {
      const current = points[i];
      const previous = points[(i + points.length - 1) % points.length];
      if (inside(current)) {
        if (!inside(previous)) next.push(cross[side](previous, current));
        next.push(current);
      } else if (inside(previous)) {
        next.push(cross[side](previous, current));
      }
    }
    points = next;
  }
  if (points.length < 3) return null;
  points.push(points[0]);
  return points;
}

function clipPolygon(polygon) {
  const rings = [];
  for (const ring of polygon) {
    const clipped = clipRing(ring);
    if (clipped) rings.push(clipped);
    else if (!rings.length) return null; // outer ring gone
  }
  return rings.length ? rings : null;
}

const countries = feature(world, world.objects.countries);
const kept = [];
for (const country of countries.features) {
  const g = country.geometry;
  if (!g) continue;
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const clipped = polygons.map(clipPolygon).filter(Boolean);
  if (!clipped.length) continue;
  kept.push({
    type: "Feature",
    properties: {},
    geometry: { type: "MultiPolygon", coordinates: clipped },
  });
}
let topo = topology({ countries: { type: "FeatureCollection", features: kept } });
topo = presimplify(topo);
topo = simplify(topo, quantile(topo, Number(process.env.KEEP || "0.3")));
// Integers, delta-encoded: about 450 m apart on the 2e4 grid over the box.
topo = quantize(topo, Number(process.env.QUANTIZE || "2e4"));
topo.bbox = [west, south, east, north];
writeFileSync(output, JSON.stringify(topo));
console.log(`${kept.length} countries`);
