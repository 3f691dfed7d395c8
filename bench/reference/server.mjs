#!/usr/bin/env node
// The Nomad Coders "Noom" course's Socket.IO server, as the course writes it,
// for side-by-side benchmarks with moim. Same events, same arguments, and the
// same costs: `publicRooms()` walks the adapter's rooms and the whole list goes
// to every socket on every join and every disconnect. Only the course's
// `console.log` of every event is left out (it would measure the terminal).
//
//   node bench/reference/server.mjs [--port 0]
//
// Prints `listening on http://127.0.0.1:PORT` once it accepts connections.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Server } from 'socket.io';

const i = process.argv.indexOf('--port');
const port = i > 0 ? Number(process.argv[i + 1]) : 0;

// The course's video-stage page (`client.html`) at `/`, as its Express app
// serves home.pug; Socket.IO serves /socket.io/socket.io.js itself.
const page = readFileSync(new URL('./client.html', import.meta.url));
const httpServer = http.createServer((req, res) => {
  if (req.url === '/' || req.url.startsWith('/?')) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  else res.writeHead(404).end();
});
const wsServer = new Server(httpServer);

function publicRooms() {
  const { sids, rooms } = wsServer.sockets.adapter;
  const publicRooms = [];
  rooms.forEach((_, key) => {
    if (sids.get(key) === undefined) publicRooms.push(key);
  });
  return publicRooms;
}

function countRoom(roomName) {
  return wsServer.sockets.adapter.rooms.get(roomName)?.size;
}

wsServer.on('connection', (socket) => {
  socket.nickname = 'Anon';

  // Chat stage.
  socket.on('enter_room', (roomName, done) => {
    socket.join(roomName);
    done();
    socket.to(roomName).emit('welcome', socket.nickname, countRoom(roomName));
    wsServer.sockets.emit('room_change', publicRooms());
  });
  socket.on('disconnecting', () => {
    socket.rooms.forEach((room) => socket.to(room).emit('bye', socket.nickname, countRoom(room) - 1));
  });
  socket.on('disconnect', () => {
    wsServer.sockets.emit('room_change', publicRooms());
  });
  socket.on('new_message', (msg, room, done) => {
    socket.to(room).emit('new_message', `${socket.nickname}: ${msg}`);
    done();
  });
  socket.on('nickname', (nickname) => (socket.nickname = nickname));

  // Video stage.
  socket.on('join_room', (roomName, done) => {
    socket.join(roomName);
    if (typeof done === 'function') done();
    socket.to(roomName).emit('welcome', socket.nickname, countRoom(roomName));
  });
  socket.on('offer', (offer, roomName) => socket.to(roomName).emit('offer', offer));
  socket.on('answer', (answer, roomName) => socket.to(roomName).emit('answer', answer));
  socket.on('ice', (ice, roomName) => socket.to(roomName).emit('ice', ice));
});

httpServer.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${httpServer.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
