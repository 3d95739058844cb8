/**
 * A 3-D scatter of 3-D data with two planes: the PCA plane of the data and the plane a linear
 * autoencoder's decoder spans. Orthographic projection; drag to rotate.
 */
import { setupCanvas } from './canvas';
import { categoryColor } from './colormaps';
import { el } from '../ui/dom';
import { canvasTheme } from './theme';
import { onThemeRepaint } from '../ui/themeWatch';

type Vec3 = [number, number, number];

export interface ScenePlane {
  label: string;
  color: string;
  center: Vec3;
  /** Orthonormal spanning vectors and the half-extent along each. */
  u: Vec3;
  v: Vec3;
  extentU: number;
  extentV: number;
  dashed?: boolean;
}

export interface PlaneScene {
  /** n × 3 row-major. */
  points: Float32Array;
  n: number;
  labels: (number | undefined)[] | null;
  planes: ScenePlane[];
  /** Start looking at this plane's normal from 60° off (an oblique view of the plane). */
  viewNormal?: Vec3;
}

export class PlaneView {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private scene: PlaneScene | null = null;
  private yaw = -0.6;
  private pitch = 0.35;
  private drag: { x: number; y: number; yaw: number; pitch: number } | null = null;
  private userRotated = false;
  private width = 360;
  private height = 300;
  /**
   * Runs before the scene is drawn again for a new theme: the owner gives the planes the new
   * theme's colours (the points and labels read the theme as they draw).
   */
  beforeThemeRepaint: (() => void) | null = null;

  constructor() {
    this.canvas = el('canvas', { class: 'ml-plane-canvas', 'data-role': 'plane3d', title: 'Drag to rotate' });
    this.element = el('div', { class: 'ml-plane-wrap' }, this.canvas);
    this.canvas.addEventListener('pointerdown', (e) => {
      this.drag = { x: e.clientX, y: e.clientY, yaw: this.yaw, pitch: this.pitch };
      this.userRotated = true;
      this.canvas.setPointerCapture?.(e.pointerId);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      this.yaw = this.drag.yaw + (e.clientX - this.drag.x) * 0.01;
      this.pitch = Math.max(-1.5, Math.min(1.5, this.drag.pitch + (e.clientY - this.drag.y) * 0.01));
      this.draw();
    });
    const stop = (): void => {
      this.drag = null;
    };
    this.canvas.addEventListener('pointerup', stop);
    this.canvas.addEventListener('pointercancel', stop);
  }

  setScene(scene: PlaneScene, width: number, height: number): void {
    this.scene = scene;
    this.width = width;
    this.height = height;
    if (!this.userRotated && scene.viewNormal) this.lookAt(scene.viewNormal, (60 * Math.PI) / 180);
    this.draw();
  }

  /**
   * Yaw and pitch that put the unit normal n at `angle` from the viewing axis: yaw turns n into
   * the vertical plane of the view, pitch tilts it (see the rotation in draw()).
   */
  private lookAt(n: Vec3, angle: number): void {
    this.yaw = Math.atan2(-n[0], n[2]);
    const z1 = -Math.sin(this.yaw) * n[0] + Math.cos(this.yaw) * n[2];
    const phi = Math.atan2(n[1], z1);
    let pitch = phi - angle;
    if (pitch < -1.5) pitch = phi + angle;
    this.pitch = Math.max(-1.5, Math.min(1.5, pitch));
  }

  /** Rotates the view (radians); used by tests and keyboard users. */
  rotate(dYaw: number, dPitch: number): void {
    this.yaw += dYaw;
    this.pitch = Math.max(-1.5, Math.min(1.5, this.pitch + dPitch));
    this.draw();
  }

  private draw(): void {
    const s = this.scene;
    if (!s) return;
    const ctx = setupCanvas(this.canvas, this.width, this.height);
    const theme = canvasTheme(this.canvas);
    onThemeRepaint(this.canvas, () => {
      this.beforeThemeRepaint?.();
      this.draw();
    });
    // Centre and scale on the data.
    const c: Vec3 = [0, 0, 0];
    for (let i = 0; i < s.n; i++) for (let k = 0; k < 3; k++) c[k] += s.points[i * 3 + k]! / Math.max(s.n, 1);
    // Scale on the 98th percentile distance, so a few outliers do not shrink the cloud.
    const dist: number[] = [];
    for (let i = 0; i < s.n; i++) {
      dist.push(Math.hypot(s.points[i * 3]! - c[0], s.points[i * 3 + 1]! - c[1], s.points[i * 3 + 2]! - c[2]));
    }
    dist.sort((a, b) => a - b);
    const r = Math.max(1e-9, dist[Math.floor(0.98 * (dist.length - 1))] ?? 1);
    const scale = ((Math.min(this.width, this.height) / 2) * 0.85) / r;
    const [cy, sy, cp, sp] = [Math.cos(this.yaw), Math.sin(this.yaw), Math.cos(this.pitch), Math.sin(this.pitch)];
    const project = (p: Vec3): [number, number, number] => {
      const x = p[0] - c[0];
      const y = p[1] - c[1];
      const z = p[2] - c[2];
      const x1 = cy * x + sy * z;
      const z1 = -sy * x + cy * z;
      const y2 = cp * y - sp * z1;
      const z2 = sp * y + cp * z1;
      return [this.width / 2 + x1 * scale, this.height / 2 - y2 * scale, z2];
    };
    // Planes (translucent), then points back to front.
    for (const plane of s.planes) {
      // A disc in the plane (a circle stays a circle whatever basis spans the plane).
      const rim: [number, number, number][] = [];
      for (let k = 0; k < 48; k++) {
        const t = (k / 48) * Math.PI * 2;
        const a = Math.cos(t) * plane.extentU;
        const b = Math.sin(t) * plane.extentV;
        rim.push(project([0, 1, 2].map((j) => plane.center[j]! + a * plane.u[j]! + b * plane.v[j]!) as Vec3));
      }
      ctx.beginPath();
      rim.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.closePath();
      ctx.globalAlpha = 0.14;
      ctx.fillStyle = plane.color;
      ctx.fill();
      ctx.globalAlpha = 0.95;
      ctx.strokeStyle = plane.color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(plane.dashed ? [5, 4] : []);
      ctx.stroke();
      ctx.setLineDash([]);
      // Its normal, from the centre: the tilt between two planes shows as the angle between these.
      const n = [
        plane.u[1] * plane.v[2] - plane.u[2] * plane.v[1],
        plane.u[2] * plane.v[0] - plane.u[0] * plane.v[2],
        plane.u[0] * plane.v[1] - plane.u[1] * plane.v[0],
      ];
      const len = 0.6 * Math.max(plane.extentU, plane.extentV);
      const [x0, y0] = project(plane.center);
      const [x1, y1] = project([0, 1, 2].map((j) => plane.center[j]! + len * n[j]!) as Vec3);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(x1, y1, 2.5, 0, Math.PI * 2);
      ctx.fillStyle = plane.color;
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    const order = Array.from({ length: s.n }, (_, i) => i);
    const projected = order.map((i) => project([s.points[i * 3]!, s.points[i * 3 + 1]!, s.points[i * 3 + 2]!]));
    order.sort((a, b) => projected[a]![2] - projected[b]![2]);
    ctx.globalAlpha = 0.85;
    for (const i of order) {
      const [x, y] = projected[i]!;
      const label = s.labels?.[i];
      ctx.fillStyle = label === undefined ? theme.foreground : categoryColor(label);
      ctx.beginPath();
      ctx.arc(x, y, 1.8, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    // Axis triad, bottom left.
    const origin: [number, number] = [28, this.height - 24];
    ctx.font = theme.font;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    (['x', 'y', 'z'] as const).forEach((name, k) => {
      const unit: Vec3 = [0, 0, 0];
      unit[k] = r / 5;
      const [px, py] = project([c[0] + unit[0], c[1] + unit[1], c[2] + unit[2]]);
      const dx = px - this.width / 2;
      const dy = py - this.height / 2;
      ctx.strokeStyle = theme.muted;
      ctx.beginPath();
      ctx.moveTo(origin[0], origin[1]);
      ctx.lineTo(origin[0] + dx * 0.6, origin[1] + dy * 0.6);
      ctx.stroke();
      ctx.fillStyle = theme.muted;
      ctx.fillText(name, origin[0] + dx * 0.78, origin[1] + dy * 0.78);
    });
    this.canvas.dataset['points'] = String(s.n);
  }
}
