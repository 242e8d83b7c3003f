-- 030: Japan's airports with scheduled service, the anchors of a hospital
-- search near an arrival airport (GET /api/v1/hospitals?near=NRT).
--
-- Rows: deploy/data/jp_airports_ourairports_scheduled.csv (OurAirports,
-- public domain; the 82 large and medium Japanese airports with
-- scheduled_service = yes and an IATA code), one INSERT row per CSV row;
-- tests/integration/test_airport_search.sh checks that both agree.
-- Distances are great-circle (haversine, mean Earth radius 6371.0088 km).

CREATE TABLE IF NOT EXISTS airports (
	iata text PRIMARY KEY CHECK (iata ~ '^[A-Z]{3}$'),
	icao text NOT NULL,
	name text NOT NULL,
	type text NOT NULL CHECK (type IN ('large_airport', 'medium_airport')),
	lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
	prefecture text NOT NULL CHECK (prefecture ~ '^[0-9]{2}$'),
	municipality text NOT NULL
);

INSERT INTO airports (iata, icao, name, type, lat, lon, prefecture, municipality)
VALUES
	('AKJ', 'RJEC', 'Asahikawa Airport', 'medium_airport', 43.670799, 142.447006, '01', 'Higashikagura'),
	('AOJ', 'RJSA', 'Aomori Airport', 'large_airport', 40.733777, 140.689477, '02', 'Aomori'),
	('ASJ', 'RJKA', 'Amami Airport', 'medium_airport', 28.430599212646484, 129.71299743652344, '46', 'Amami'),
	('AXJ', 'RJDA', 'Amakusa Airport', 'medium_airport', 32.482498, 130.158997, '43', 'Amakusa'),
	('AXT', 'RJSK', 'Akita Airport', 'medium_airport', 39.615601, 140.218994, '05', 'Akita'),
	('CTS', 'RJCC', 'New Chitose Airport', 'large_airport', 42.774753, 141.690414, '01', 'Sapporo'),
	('FKS', 'RJSF', 'Fukushima Airport', 'medium_airport', 37.22740173339844, 140.43099975585938, '07', 'Sukagawa'),
	('FSZ', 'RJNS', 'Mount Fuji Shizuoka Airport', 'large_airport', 34.795022, 138.190976, '22', 'Makinohara / Shimada'),
	('FUJ', 'RJFE', 'Fukue Airport', 'medium_airport', 32.666302, 128.832993, '42', 'Goto'),
	('FUK', 'RJFF', 'Fukuoka Airport', 'large_airport', 33.585899353027344, 130.4510040283203, '40', 'Fukuoka'),
	('GAJ', 'RJSC', 'Yamagata Airport', 'medium_airport', 38.4119, 140.371002, '06', 'Higashine'),
	('HAC', 'RJTH', 'Hachijojima Airport', 'medium_airport', 33.114843, 139.785645, '13', 'Hachijojima'),
	('HIJ', 'RJOA', 'Hiroshima Airport', 'large_airport', 34.4361, 132.919006, '34', 'Hiroshima'),
	('HKD', 'RJCH', 'Hakodate Airport', 'large_airport', 41.77, 140.822006, '01', 'Hakodate'),
	('HNA', 'RJSI', 'Iwate Hanamaki Airport', 'medium_airport', 39.4286, 141.134995, '03', 'Hanamaki'),
	('HND', 'RJTT', 'Tokyo Haneda International Airport', 'large_airport', 35.549678, 139.786958, '13', 'Tokyo'),
	('HSG', 'RJFS', 'Kyushu Saga International Airport', 'large_airport', 33.1497, 130.302002, '41', 'Saga'),
	('IBR', 'RJAH', 'Ibaraki Airport', 'large_airport', 36.181456, 140.414434, '08', 'Omitama'),
	('IKI', 'RJDB', 'Iki Airport', 'medium_airport', 33.7490005493, 129.785003662, '42', 'Iki'),
	('ISG', 'ROIG', 'New Ishigaki Airport', 'medium_airport', 24.396389, 124.245, '47', 'Ishigaki'),
	('ITM', 'RJOO', 'Osaka Itami International Airport', 'large_airport', 34.780853, 135.440829, '27', 'Osaka'),
	('IWJ', 'RJOW', 'Iwami Airport', 'medium_airport', 34.676399231, 131.789993286, '32', 'Masuda'),
	('IWK', 'RJOI', 'Iwakuni Kintaikyo Airport', 'medium_airport', 34.146333, 132.247238, '35', 'Iwakuni'),
	('IZO', 'RJOC', 'Izumo Enmusubi Airport', 'medium_airport', 35.413601, 132.889999, '32', 'Izumo'),
	('KCZ', 'RJOK', 'Kochi Ryoma Airport', 'large_airport', 33.545217, 133.670166, '39', 'Nankoku'),
	('KIJ', 'RJSN', 'Niigata Airport', 'large_airport', 37.954166, 139.112189, '15', 'Niigata'),
	('KIX', 'RJBB', 'Kansai International Airport', 'large_airport', 34.427299, 135.244003, '27', 'Osaka'),
	('KKJ', 'RJFR', 'Kitakyushu Airport', 'large_airport', 33.845901, 131.035004, '40', 'Kitakyushu'),
	('KKX', 'RJKI', 'Kikai Airport', 'medium_airport', 28.321300506599997, 129.927993774, '46', 'Kikai'),
	('KMI', 'RJFM', 'Miyazaki Airport', 'large_airport', 31.877199, 131.449005, '45', 'Miyazaki'),
	('KMJ', 'RJFT', 'Kumamoto Airport', 'large_airport', 32.837299, 130.854996, '43', 'Kumamoto'),
	('KMQ', 'RJNK', 'Komatsu Airport / JASDF Komatsu Air Base', 'large_airport', 36.393407, 136.406895, '17', 'Kanazawa'),
	('KOJ', 'RJFK', 'Kagoshima Airport', 'large_airport', 31.8034, 130.718994, '46', 'Kagoshima'),
	('KTD', 'RORK', 'Kitadaito Airport', 'medium_airport', 25.9447002411, 131.32699585, '47', 'Kitadaitōjima'),
	('KUH', 'RJCK', 'Kushiro Airport', 'medium_airport', 43.041, 144.192993, '01', 'Kushiro'),
	('KUM', 'RJFC', 'Yakushima Airport', 'medium_airport', 30.385599, 130.658997, '46', 'Yakushima'),
	('MBE', 'RJEB', 'Monbetsu Airport', 'medium_airport', 44.303901672399995, 143.404006958, '01', 'Monbetsu'),
	('MMB', 'RJCM', 'Memanbetsu Airport', 'medium_airport', 43.8805999756, 144.164001465, '01', 'Ōzora'),
	('MMD', 'ROMD', 'Minamidaito Airport', 'medium_airport', 25.8465, 131.263, '47', 'Minamidaito'),
	('MMJ', 'RJAF', 'Shinshu-Matsumoto Airport', 'medium_airport', 36.166801, 137.923004, '20', 'Matsumoto'),
	('MMY', 'ROMY', 'Miyako Airport', 'medium_airport', 24.782801, 125.294998, '47', 'Miyakojima'),
	('MSJ', 'RJSM', 'Misawa Airport / Misawa Air Base', 'medium_airport', 40.703201, 141.367996, '02', 'Misawa'),
	('MYE', 'RJTQ', 'Miyakejima Airport', 'medium_airport', 34.073600769, 139.559997559, '13', 'Miyakejima'),
	('MYJ', 'RJOM', 'Matsuyama Airport', 'large_airport', 33.826893, 132.700114, '38', 'Matsuyama'),
	('NGO', 'RJGG', 'Chubu Centrair International Airport', 'large_airport', 34.858398, 136.804993, '23', 'Tokoname'),
	('NGS', 'RJFU', 'Nagasaki Airport', 'large_airport', 32.916901, 129.914001, '42', 'Nagasaki'),
	('NKM', 'RJNA', 'Nagoya Airport / JASDF Komaki Air Base', 'medium_airport', 35.255759, 136.924095, '23', 'Nagoya'),
	('NRT', 'RJAA', 'Narita International Airport', 'large_airport', 35.76858, 140.388714, '12', 'Narita'),
	('NTQ', 'RJNW', 'Noto Satoyama Airport', 'medium_airport', 37.293098, 136.962006, '17', 'Wajima'),
	('OBO', 'RJCB', 'Tokachi-Obihiro Airport', 'medium_airport', 42.7332992554, 143.216995239, '01', 'Obihiro'),
	('OGN', 'ROYN', 'Yonaguni Airport', 'medium_airport', 24.467298, 122.979827, '47', 'Yonaguni'),
	('OIM', 'RJTO', 'Oshima Airport', 'medium_airport', 34.782001495399996, 139.36000061, '13', 'Izu Oshima'),
	('OIR', 'RJEO', 'Okushiri Airport', 'medium_airport', 42.0717010498, 139.432998657, '01', 'Okushiri Island'),
	('OIT', 'RJFO', 'Oita Airport', 'medium_airport', 33.479400634799994, 131.736999512, '44', 'Oita'),
	('OKA', 'ROAH', 'Naha International Airport', 'large_airport', 26.192437, 127.639804, '47', 'Naha'),
	('OKD', 'RJCO', 'Sapporo Okadama Airport', 'medium_airport', 43.117447, 141.38134, '01', 'Sapporo'),
	('OKE', 'RJKB', 'Okinoerabu Airport', 'medium_airport', 27.431604, 128.705564, '46', 'Wadomari'),
	('OKI', 'RJNO', 'Oki Global Geopark Airport', 'medium_airport', 36.178388, 133.323566, '32', 'Okinoshima'),
	('OKJ', 'RJOB', 'Okayama Momotaro Airport', 'large_airport', 34.756901, 133.854996, '33', 'Okayama'),
	('ONJ', 'RJSR', 'Odate Noshiro Airport', 'medium_airport', 40.191898, 140.371002, '05', 'Kitaakita'),
	('RIS', 'RJER', 'Rishiri Airport', 'medium_airport', 45.2420005798, 141.186004639, '01', 'Rishiri'),
	('RNJ', 'RORY', 'Yoron Airport', 'medium_airport', 27.043847, 128.401648, '46', 'Yoron'),
	('SDJ', 'RJSS', 'Sendai Airport', 'large_airport', 38.139702, 140.917007, '04', 'Natori'),
	('SDS', 'RJSD', 'Sado Airport', 'medium_airport', 38.0601997375, 138.414001465, '15', 'Sado'),
	('SHB', 'RJCN', 'Nakashibetsu Airport', 'medium_airport', 43.5774993896, 144.960006714, '01', 'Nakashibetsu'),
	('SHI', 'RORS', 'Shimojishima Airport', 'medium_airport', 24.8267, 125.144997, '47', 'Miyakojima'),
	('SHM', 'RJBD', 'Nanki Shirahama Airport', 'medium_airport', 33.6622009277, 135.363998413, '30', 'Shirahama'),
	('SYO', 'RJSY', 'Shonai Airport', 'medium_airport', 38.812199, 139.787003, '06', 'Shonai'),
	('TAK', 'RJOT', 'Takamatsu Airport', 'large_airport', 34.214963, 134.015454, '37', 'Takamatsu'),
	('TJH', 'RJBT', 'Konotori Tajima Airport', 'medium_airport', 35.512798, 134.787003, '28', 'Toyooka'),
	('TKN', 'RJKN', 'Tokunoshima Airport', 'medium_airport', 27.836382, 128.881356, '46', 'Amagi'),
	('TKS', 'RJOS', 'Tokushima Awaodori Airport / JMSDF Tokushima Air Base', 'large_airport', 34.132559, 134.607816, '36', 'Tokushima'),
	('TNE', 'RJFG', 'New Tanegashima Airport', 'medium_airport', 30.605100631699997, 130.990997314, '46', 'Tanegashima'),
	('TOY', 'RJNT', 'Toyama Kitokito Airport', 'medium_airport', 36.648416, 137.187359, '16', 'Toyama'),
	('TRA', 'RORT', 'Tarama Airport', 'medium_airport', 24.653793, 124.675453, '47', 'Tarama'),
	('TSJ', 'RJDT', 'Tsushima Airport', 'medium_airport', 34.2849006653, 129.330993652, '42', 'Tsushima'),
	('TTJ', 'RJOR', 'Tottori Sand Dunes Conan Airport', 'medium_airport', 35.530058, 134.165023, '31', 'Tottori'),
	('UBJ', 'RJDC', 'Yamaguchi Ube Airport', 'medium_airport', 33.93, 131.279007, '35', 'Ube'),
	('UEO', 'ROKJ', 'Kumejima Airport', 'medium_airport', 26.363445, 126.71384, '47', 'Kumejima'),
	('UKB', 'RJBE', 'Kobe Airport', 'large_airport', 34.632801, 135.223999, '28', 'Kobe'),
	('WKJ', 'RJCW', 'Wakkanai Airport', 'medium_airport', 45.4042015076, 141.800994873, '01', 'Wakkanai'),
	('YGJ', 'RJOH', 'Yonago Kitaro Airport / JASDF Miho Air Base', 'medium_airport', 35.492199, 133.235992, '31', 'Yonago')
ON CONFLICT (iata) DO UPDATE SET icao = EXCLUDED.icao, name = EXCLUDED.name,
	type = EXCLUDED.type, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
	prefecture = EXCLUDED.prefecture, municipality = EXCLUDED.municipality;


-- The bounding-box prefilter of a radius search (lat BETWEEN ... AND lon
-- BETWEEN ...) uses this index before the exact distance is computed.
CREATE INDEX IF NOT EXISTS hospital_listings_lat_lon
	ON hospital_listings (lat, lon);

GRANT SELECT ON airports TO inbound_api;
